import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { isRefusedCharacter } from '../../core/http/nul-guard.ts';
import { Problem } from '../../core/http/problem.ts';
import { isLocale, type Locale, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { frameFor, localePath, type PageFrame, sendHtml } from '../../trust/index.ts';
import { PROGRAM_PATHS } from '../program/program.urls.ts';
import { MAX_ATTACHMENT_BYTES } from './intake.attachments.ts';
import { vdpText } from './intake.fields.ts';
import { registerUrlEncodedParser } from './intake.forms.ts';
import { researcherPage } from './intake.pages.ts';

/**
 * What the researcher pages (report form, received page, follow page, portal) share: plain HTML forms
 * (multipart with files, or url-encoded), the site's security headers, no cookies, and failures answered
 * as pages in the visitor's language rather than JSON.
 */

// Public pages are not API operations: they stay out of the OpenAPI document. Their security headers are
// the app's static set (core/http/security-headers.ts), set once for every answer.
export const HIDDEN = { schema: { hide: true } };
/** Per client address. Writes: a researcher sends a few; reads of secret links: enough to browse. */
export const FORM_WRITE_LIMIT = { max: 10, timeWindow: 60_000 };
export const LINK_READ_LIMIT = { max: 60, timeWindow: 60_000 };
/** Follow tokens and portal tokens: 32 random bytes, base64url. Anything else is not looked up at all. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function prepareResearcherSite(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_ATTACHMENT_BYTES, fields: 40, fieldSize: 128 * 1024, parts: 60, headerPairs: 50 },
  });
  registerUrlEncodedParser(app);
  // No researcher page sets a cookie, whatever another part of the app might try.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.removeHeader('set-cookie');
    done(null, payload);
  });
  registerResearcherErrors(app, ctx);
}

/** A page that says one thing, with links onwards. */
export function messagePage(
  frame: PageFrame,
  input: {
    key: string;
    path: string;
    vars?: Record<string, unknown>;
    links?: { href: string; label: string }[];
  },
): string {
  const t = vdpText(frame.locale);
  const links = (input.links ?? [])
    .map((link) => `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`)
    .join('\n');
  return researcherPage(frame, {
    path: input.path,
    title: translate(frame.locale, `vdp-intake:${input.key}.title`, input.vars),
    body: `<h1>${t(`${input.key}.title`, input.vars)}</h1>\n<p>${t(`${input.key}.body`, input.vars)}</p>\n${links}`,
    noindex: true,
  });
}

/** The same answer for an unknown, expired or foreign link: nothing tells which it was. */
export function notFoundPage(frame: PageFrame): string {
  const { locale } = frame;
  return messagePage(frame, {
    key: 'notFound',
    path: '/security/portal',
    links: [
      {
        href: localePath(locale, '/security/portal'),
        label: translate(locale, 'vdp-intake:notFound.newLink'),
      },
      {
        href: localePath(locale, PROGRAM_PATHS.policy),
        label: translate(locale, 'vdp-intake:notFound.policy'),
      },
    ],
  });
}

/** A page anyone may see and search engines index (the empty report form). */
export function sendPublicHtml(reply: FastifyReply, locale: Locale, html: string): FastifyReply {
  return reply
    .status(200)
    .header('cache-control', 'no-cache')
    .header('content-language', locale)
    .type('text/html; charset=utf-8')
    .send(html);
}

export async function sendNotFound(
  ctx: AppContext,
  reply: FastifyReply,
  locale: Locale,
): Promise<FastifyReply> {
  return sendHtml(reply, 404, locale, notFoundPage(await frameFor(ctx, locale)));
}

function localeOfUrl(url: string, fallback: Locale): Locale {
  const first = url.split('/')[1] ?? '';
  return isLocale(first) ? first : fallback;
}

/** 404, 413, 429 (with Retry-After), other 4xx and 500 as pages; a 500 is logged with the request id. */
function registerResearcherErrors(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler(async (error: Error & { statusCode?: number }, request: FastifyRequest, reply) => {
    const locale = localeOfUrl(request.url, ctx.config.defaultLocale);
    const frame = await frameFor(ctx, locale);
    const status = error instanceof Problem ? error.status : (error.statusCode ?? 500);
    const path = PROGRAM_PATHS.reportForm;
    if (status === 404) return sendHtml(reply, 404, locale, notFoundPage(frame));
    if (status === 429) {
      const retry = error instanceof Problem ? error.extra.retryAfterSeconds : undefined;
      if (typeof retry === 'number') reply.header('retry-after', String(retry));
      return sendHtml(reply, 429, locale, messagePage(frame, { key: 'failure.tooMany', path }));
    }
    if (status === 413) {
      return sendHtml(reply, 413, locale, messagePage(frame, { key: 'failure.tooLarge', path }));
    }
    if (isRefusedCharacter(error)) {
      return sendHtml(reply, 422, locale, messagePage(frame, { key: 'failure.invalidCharacter', path }));
    }
    if (status >= 400 && status < 500) {
      // 415: a form endpoint takes form encodings only (JSON, text and the rest are refused).
      const shown = status === 415 ? 415 : 400;
      return sendHtml(reply, shown, locale, messagePage(frame, { key: 'failure.badRequest', path }));
    }
    request.log.error({ err: error, reqId: request.id }, 'unhandled error on a researcher page');
    return sendHtml(reply, 500, locale, messagePage(frame, { key: 'failure.serverError', path }));
  });
}
