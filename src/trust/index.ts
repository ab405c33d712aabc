import './register.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { accessApiPlugin } from './access/access-requests.routes.ts';
import { accessSitePlugin } from './access/access-site.routes.ts';
import { contentRoutes } from './content/content.routes.ts';
import { documentsRoutes } from './documents/documents.routes.ts';
import { downloadsRoutes } from './documents/downloads.routes.ts';
import { migrateLegacyDocumentFiles } from './documents/legacy-files.ts';
import { siteRoutes } from './site/site.routes.ts';

/**
 * Trust center. Two plugins: the admin API under /api/v1/trust, and the public site (server-rendered,
 * cookie-free pages under /{locale}/…, downloads, sitemap, robots, feeds) at the root.
 */
export function trustApiPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // Document files an earlier version kept in the data folder move to the shared file store first.
    const { migrated, conflicts } = await migrateLegacyDocumentFiles(ctx);
    if (migrated > 0)
      ctx.warn?.(`Moved ${migrated} trust document file(s) from the data folder to the ${ctx.files.kind}.`);
    if (conflicts > 0)
      ctx.warn?.(
        `${conflicts} trust document file(s) in the data folder differ from the stored copy; left in place.`,
      );
    // Sub-plugins register here: content, documents, access.
    await app.register(contentRoutes(ctx));
    await app.register(documentsRoutes(ctx));
    await app.register(accessApiPlugin(ctx));
  };
}

export function trustSitePlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // Sub-plugins register here: site pages, downloads, visitor access pages.
    await app.register(siteRoutes(ctx));
    await app.register(downloadsRoutes(ctx));
    await app.register(accessSitePlugin(ctx));
  };
}

// The site kit other domains' public pages are built with (same layout, languages, caching, headers).
export { frameFor, registerHtmlErrors, sendHtml } from './access/access-site.http.ts';
export { messagePage, type PageFrame } from './access/access-site.pages.ts';
export { resealDocumentFiles } from './documents/documents.files.ts';
export { contentDisposition, FILE_HEADERS } from './documents/downloads.headers.ts';
// For the admin home: counts and onboarding facts.
export {
  countExpiringDocuments,
  countPendingAccessRequests,
  defaultTextsReviewed,
  EXPIRING_WITHIN_DAYS,
  trustSitePublished,
} from './home.attention.ts';
export { getPublishedSite } from './publication/publication.service.ts';
export { localePath, type PageInput, renderPage } from './site/layout.ts';
export { type CachedPage, chooseEncoding, PageCache, preparePage, sendPage } from './site/page-cache.ts';
export { addSitemapSource } from './site/sitemap-sources.ts';
