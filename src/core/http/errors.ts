import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { hasTranslation, isLocale, type Locale, negotiateLocale, translate } from '../i18n/index.ts';
import { escapeHtml } from '../mail/html.ts';
import { fieldErrorDetail, isAbsentAt } from './field-errors.ts';
import { Problem, problems } from './problem.ts';

/**
 * One place turns every failure into `application/problem+json` (RFC 9457). A Problem is answered
 * as is; client mistakes the framework detects become 4xx; anything else is a bare 500 logged with
 * the request id and nothing of its text sent.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  /** Read on every answer: the public URL can change while the server runs (Settings). */
  options: { readonly publicUrl: string; defaultLocale: Locale },
) {
  const send = (request: FastifyRequest, reply: FastifyReply, error: Problem) => {
    const locale = localeOf(request, options.defaultLocale);
    const key = `problems:${error.code}`;
    const title = hasTranslation(locale, key) ? translate(locale, key) : error.code;
    if (error.status === 429 && typeof error.extra.retryAfterSeconds === 'number') {
      reply.header('retry-after', String(error.extra.retryAfterSeconds));
    }
    if (wantsPage(request)) return sendPage(reply, locale, error, title);
    return reply
      .status(error.status)
      .type('application/problem+json; charset=utf-8')
      .send({
        type: `${options.publicUrl}/problems/${error.code}`,
        title,
        status: error.status,
        detail: error.detail,
        code: error.code,
        instance: request.id,
        ...error.extra,
      });
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toProblem(error, request, options.defaultLocale);
    if (known) return send(request, reply, known);
    request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    return reply.status(500).type('application/problem+json; charset=utf-8').send({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: request.id,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    send(request, reply, problems.routeNotFound(request.method, request.url)),
  );
}

function toProblem(error: FastifyError, request: FastifyRequest, fallback: Locale): Problem | undefined {
  if (error instanceof Problem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const locale = negotiateLocale(request.headers['accept-language'], fallback);
    const input =
      where === 'querystring' ? request.query : where === 'params' ? request.params : request.body;
    return problems.validation(
      error.validation.map((issue) => ({
        in: where,
        pointer: issue.instancePath || '/',
        detail: fieldErrorDetail(issue, locale, isAbsentAt(input, issue.instancePath)),
      })),
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // Fastify's message names no size; the route's limit is the one that was exceeded.
      return problems.bodyTooLarge(request.routeOptions.bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMediaType(error.message.replace(/^.*?: /, ''));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problems.malformedBody(
        'The body is empty but Content-Type says JSON; send {} or no Content-Type.',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problems.malformedBody('Content-Length does not match the body.');
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return problems.rateLimited(Number(error.message.match(/\d+/)?.[0] ?? 60));
  }
  // Only the body parser's own error: a SyntaxError from our code (JSON.parse of stored data) is a 500.
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problems.malformedBody(`The body is not valid JSON: ${error.message}`);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new Problem(error.statusCode, 'bad-request', error.message);
  }
  return undefined;
}

/** A browser asking for a page outside the API (the public site, security.txt in a tab): it gets HTML. */
function wantsPage(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

/** The page's language: its URL's (`/fr/…`), else the browser's. */
function localeOf(request: FastifyRequest, fallback: Locale): Locale {
  const first = request.url.split('/')[1] ?? '';
  return isLocale(first) ? first : negotiateLocale(request.headers['accept-language'], fallback);
}

/** A plain page in the visitor's language: no script, no style, nothing cached or indexed. */
function sendPage(reply: FastifyReply, locale: Locale, error: Problem, title: string) {
  const seconds = error.extra.retryAfterSeconds;
  const text =
    error.status === 429 && typeof seconds === 'number'
      ? translate(locale, 'common:errorPage.rateLimited', { seconds })
      : translate(locale, 'common:errorPage.other');
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/${locale}/">${escapeHtml(translate(locale, 'common:appName'))}</a></p></main></body>
</html>
`;
  return reply
    .status(error.status)
    .header('cache-control', 'no-store')
    .header('content-language', locale)
    .type('text/html; charset=utf-8')
    .send(html);
}
