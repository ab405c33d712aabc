import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { isRefusedCharacter } from '../../core/http/nul-guard.ts';
import { Problem } from '../../core/http/problem.ts';
import { isLocale, type Locale } from '../../core/i18n/index.ts';
import { getPublishedSite } from '../publication/publication.service.ts';
import { localePath } from '../site/layout.ts';
import { invalidLinkPage, messagePage, type PageFrame } from './access-site.pages.ts';
import { loadAccessSettings } from './visitors.service.ts';

/** The header and language context of a visitor page: the published profile, else the draft settings. */
export async function frameFor(ctx: AppContext, locale: Locale): Promise<PageFrame> {
  const site = await getPublishedSite(ctx);
  if (site) {
    return {
      locale,
      profile: { companyName: site.profile.companyName, logoDataUrl: site.profile.logoDataUrl ?? undefined },
      defaultLocale: site.profile.defaultLocale,
      publicUrl: ctx.config.publicUrl,
    };
  }
  const settings = await loadAccessSettings(ctx, ctx.database.db);
  return {
    locale,
    profile: { companyName: settings.companyName, logoDataUrl: settings.logoDataUrl },
    defaultLocale: settings.defaultLocale,
    publicUrl: ctx.config.publicUrl,
  };
}

/**
 * Answers a visitor page: never cached or indexed (links carry secrets), no referrer sent onwards, in
 * the page's language.
 */
export function sendHtml(reply: FastifyReply, status: number, locale: Locale, html: string): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('content-language', locale)
    .type('text/html; charset=utf-8')
    .send(html);
}

export async function sendInvalidLink(
  ctx: AppContext,
  reply: FastifyReply,
  locale: Locale,
): Promise<FastifyReply> {
  return sendHtml(reply, 404, locale, invalidLinkPage(await frameFor(ctx, locale)));
}

function localeOfUrl(url: string, fallback: Locale): Locale {
  const first = url.split('/')[1] ?? '';
  return isLocale(first) ? first : fallback;
}

/**
 * Failures on visitor pages answer as HTML in the page's language, never as JSON: 404, 413, 429 (with
 * Retry-After), other 4xx as "bad request", and anything else as a bare 500 page (logged with the id).
 */
export function registerHtmlErrors(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler(async (error: Error & { statusCode?: number }, request: FastifyRequest, reply) => {
    const locale = localeOfUrl(request.url, ctx.config.defaultLocale);
    const frame = await frameFor(ctx, locale);
    const status = error instanceof Problem ? error.status : (error.statusCode ?? 500);
    if (status === 404) return sendHtml(reply, 404, locale, invalidLinkPage(frame));
    if (status === 429) {
      const retry = error instanceof Problem ? error.extra.retryAfterSeconds : undefined;
      if (typeof retry === 'number') reply.header('retry-after', String(retry));
      return sendHtml(reply, 429, locale, messagePage(frame, { key: 'tooMany' }));
    }
    if (status === 413) return sendHtml(reply, 413, locale, messagePage(frame, { key: 'tooLarge' }));
    if (isRefusedCharacter(error)) {
      return sendHtml(reply, 422, locale, messagePage(frame, { key: 'invalidCharacter' }));
    }
    if (status >= 400 && status < 500) {
      // 415: a form endpoint takes form encodings only (JSON, text and the rest are refused).
      const shown = status === 415 ? 415 : 400;
      return sendHtml(reply, shown, locale, messagePage(frame, { key: 'badRequest' }));
    }
    request.log.error({ err: error, reqId: request.id }, 'unhandled error on a visitor page');
    return sendHtml(
      reply,
      500,
      locale,
      messagePage(frame, {
        key: 'serverError',
        links: [{ href: localePath(locale, '/'), label: frame.profile.companyName }],
      }),
    );
  });
}
