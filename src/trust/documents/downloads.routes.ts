import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { type Locale, locales } from '../../core/i18n/index.ts';
import { getPublishedSite } from '../publication/publication.service.ts';
import { renderNotFound } from '../site/status.pages.ts';
import { StoredFileUnavailable } from './documents.files.ts';
import { contentDisposition, FILE_HEADERS } from './downloads.headers.ts';
import { type DownloadRequest, type PreparedDownload, prepareDownload } from './downloads.service.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Access tokens are base64url; anything else can't be one, so it is a 404 without a database lookup. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

const routeOptions = {
  // A HEAD would stamp and record a download without sending it; only GET downloads.
  exposeHeadRoute: false,
  // Stamping costs CPU: a client gets 60 downloads a minute.
  config: { rateLimit: { max: 60, timeWindow: 60_000 } },
  schema: { hide: true },
};

/**
 * Downloads on the public site, the one path for every file a visitor gets:
 *   GET /{locale}/documents/{slug}/download                        public documents
 *   GET /{locale}/access/{accessToken}/documents/{slug}/download   granted documents, stamped for the visitor
 * Everything a visitor may not have is the same HTML 404, `Cache-Control: no-store`.
 */
export function downloadsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // Visitors get no cookie with a download, whatever another hook might try to set.
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.removeHeader('set-cookie');
      return payload;
    });

    const serve = async (request: FastifyRequest, reply: FastifyReply, input: DownloadRequest) => {
      const valid = input.slug.length <= 100 && SLUG.test(input.slug);
      const tokenValid = input.accessToken === undefined || TOKEN.test(input.accessToken);
      let download: PreparedDownload | undefined;
      try {
        download = valid && tokenValid ? await prepareDownload(ctx, request.actor, input) : undefined;
      } catch (error) {
        if (!(error instanceof StoredFileUnavailable)) throw error;
        // Never a 500 for a lost file: the visitor sees 404, the operator a log line (and an audit entry).
        request.log.error(
          { fileId: error.fileId, reason: error.reason, slug: input.slug },
          'a published document file could not be read from the file store',
        );
      }
      if (!download) return notFound(reply, input.locale);
      return reply
        .status(200)
        .headers(FILE_HEADERS)
        .header('referrer-policy', 'no-referrer')
        .header('content-type', download.contentType)
        .header('content-disposition', contentDisposition('attachment', download.fileName))
        .header('x-download-id', download.downloadId)
        .send(Buffer.from(download.bytes.buffer, download.bytes.byteOffset, download.bytes.byteLength));
    };

    const notFound = async (reply: FastifyReply, locale: Locale) => {
      const site = await getPublishedSite(ctx);
      const html = renderNotFound({
        locale,
        profile: {
          companyName: site?.profile.companyName ?? 'Attest',
          logoDataUrl: site?.profile.logoDataUrl ?? undefined,
        },
        defaultLocale: site?.profile.defaultLocale ?? ctx.config.defaultLocale,
        publicUrl: ctx.config.publicUrl,
      });
      return reply
        .status(404)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-language', locale)
        .type('text/html; charset=utf-8')
        .send(html);
    };

    for (const locale of locales) {
      app.get<{ Params: { slug: string } }>(
        `/${locale}/documents/:slug/download`,
        routeOptions,
        (request, reply) => serve(request, reply, { locale, slug: request.params.slug }),
      );
      app.get<{ Params: { accessToken: string; slug: string } }>(
        `/${locale}/access/:accessToken/documents/:slug/download`,
        routeOptions,
        (request, reply) =>
          serve(request, reply, {
            locale,
            slug: request.params.slug,
            accessToken: request.params.accessToken,
          }),
      );
    }
  };
}
