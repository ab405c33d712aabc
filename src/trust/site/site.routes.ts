import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { isLocale, type Locale, locales, negotiateLocale } from '../../core/i18n/index.ts';
import { getOrganization } from '../../core/settings/index.ts';
import {
  getPublishedSite,
  onPublished,
  type PublishedSite,
  publishedSiteKey,
} from '../publication/publication.service.ts';
import { FAVICON_PATH, favicon, STYLESHEET_PATH, stylesheet, stylesheetVersion } from './assets.ts';
import { BRAND_PATH_PREFIX, brandStylesheet } from './brand.ts';
import { renderDocument } from './document.page.ts';
import { renderHome } from './home.page.ts';
import { type CachedPage, PageCache, preparePage, sendPage } from './page-cache.ts';
import type { SiteView } from './site-view.ts';
import { renderRobots, renderSitemap, sitePaths } from './sitemap.ts';
import { extraSitemapPaths } from './sitemap-sources.ts';
import { renderNotFound, renderNotPublished } from './status.pages.ts';
import { renderSubprocessors } from './subprocessors.page.ts';
import { renderUpdates, renderUpdatesFeed } from './updates.page.ts';

const HTML = 'text/html; charset=utf-8';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Public pages are not API operations: they stay out of the OpenAPI document. Their security headers
// are the app's static set (core/http/security-headers.ts), computed once at start.
const hidden = { schema: { hide: true } };

type Rendered = { body: string; contentType?: string } | undefined;

let day = { value: '', endsAt: 0 };
/** Today (UTC, YYYY-MM-DD), recomputed only when the day changes: it is part of every cache key. */
function currentDay(): string {
  const now = Date.now();
  if (now >= day.endsAt) {
    const midnight = new Date(now);
    midnight.setUTCHours(24, 0, 0, 0);
    day = { value: new Date(now).toISOString().slice(0, 10), endsAt: midnight.getTime() };
  }
  return day.value;
}

/**
 * The public trust center: cookie-free, server-rendered pages under /{locale}/…, rendered once per
 * (publication, day, locale, path), kept precompressed in memory, and answered with ETag/304.
 * The day is part of the key so a document's expiry shows on time without a new publication.
 */
export function siteRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const cache = new PageCache();
    const unsubscribe = onPublished((_site, publishedCtx) => {
      if (publishedCtx === ctx) cache.clear();
    });
    app.addHook('onClose', async () => {
      unsubscribe();
    });
    // Visitors get no cookie from these pages, whatever another plugin might try to set.
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.removeHeader('set-cookie');
      done(null, payload);
    });

    const viewOf = (
      site: PublishedSite,
      locale: Locale,
      today: string,
    ): SiteView & { publishedAt: string } => ({
      site,
      locale,
      publicUrl: ctx.config.publicUrl,
      today,
      publishedAt: site.publishedAt,
    });

    const notPublished = async (locale: Locale, path: string, today: string): Promise<CachedPage> => {
      const { name: organizationName } = await getOrganization(ctx);
      const key = `0|${organizationName}|${today}|${locale}|not-published`;
      const found = cache.get(key);
      if (found) return found;
      return cache.getOrCreate(key, () =>
        preparePage(
          renderNotPublished({
            locale,
            path,
            profile: { companyName: organizationName },
            defaultLocale: ctx.config.defaultLocale,
            publicUrl: ctx.config.publicUrl,
          }),
          { contentType: HTML, contentLanguage: locale },
        ),
      );
    };

    /** Serves one page of one locale from the cache, rendering it on first use. */
    const serve = async (
      request: FastifyRequest,
      reply: FastifyReply,
      locale: Locale,
      path: string,
      render: (view: SiteView & { publishedAt: string }) => Rendered,
    ) => {
      const site = await getPublishedSite(ctx);
      const today = currentDay();
      if (!site) return sendPage(request, reply, await notPublished(locale, path, today));
      const key = `${publishedSiteKey(site)}|${today}|${locale}|${path}`;
      let page = cache.get(key);
      if (!page) {
        const rendered = render(viewOf(site, locale, today));
        if (!rendered) return sendNotFound(request, reply, locale, site);
        page = cache.getOrCreate(key, () =>
          preparePage(rendered.body, { contentType: rendered.contentType ?? HTML, contentLanguage: locale }),
        );
      }
      return sendPage(request, reply, page);
    };

    const sendNotFound = (
      request: FastifyRequest,
      reply: FastifyReply,
      locale: Locale,
      site?: PublishedSite,
    ) => {
      // One page per locale and publication, whatever the wrong URL was: a flood of random URLs costs no
      // rendering or compression.
      const page = cache.getOrCreate(`${site ? publishedSiteKey(site) : 0}|${locale}|not-found`, () =>
        preparePage(
          renderNotFound({
            locale,
            profile: {
              companyName: site?.profile.companyName ?? 'Attest',
              logoDataUrl: site?.profile.logoDataUrl ?? undefined,
            },
            defaultLocale: site?.profile.defaultLocale ?? ctx.config.defaultLocale,
            publicUrl: ctx.config.publicUrl,
          }),
          { status: 404, contentType: HTML, contentLanguage: locale, cacheControl: 'no-store' },
        ),
      );
      return sendPage(request, reply, page);
    };

    app.get('/', hidden, async (request, reply) => {
      const site = await getPublishedSite(ctx);
      const fallback = site?.profile.defaultLocale ?? ctx.config.defaultLocale;
      const locale = negotiateLocale(request.headers['accept-language'], fallback);
      return reply
        .header('vary', 'Accept-Language')
        .header('cache-control', 'no-cache')
        .redirect(`/${locale}/`, 302);
    });

    for (const locale of locales) {
      app.get(`/${locale}`, hidden, (_request, reply) => reply.redirect(`/${locale}/`, 301));
      app.get(`/${locale}/`, hidden, (request, reply) =>
        serve(request, reply, locale, '/', (view) => ({ body: renderHome(view) })),
      );
      app.get(`/${locale}/subprocessors`, hidden, (request, reply) =>
        serve(request, reply, locale, '/subprocessors', (view) => ({ body: renderSubprocessors(view) })),
      );
      app.get(`/${locale}/updates`, hidden, (request, reply) =>
        serve(request, reply, locale, '/updates', (view) => ({ body: renderUpdates(view) })),
      );
      app.get(`/${locale}/updates.atom`, hidden, (request, reply) =>
        serve(request, reply, locale, '/updates.atom', (view) => ({
          body: renderUpdatesFeed(view),
          contentType: 'application/atom+xml; charset=utf-8',
        })),
      );
      app.get<{ Params: { slug: string } }>(`/${locale}/documents/:slug`, hidden, async (request, reply) => {
        const { slug } = request.params;
        if (slug.length > 100 || !SLUG.test(slug)) {
          return sendNotFound(request, reply, locale, await getPublishedSite(ctx));
        }
        return serve(request, reply, locale, `/documents/${slug}`, (view) => {
          // Only documents the site lists have a page (sitePaths is the one list of them).
          if (!sitePaths(view.site, view.today).includes(`/documents/${slug}`)) return undefined;
          const document = view.site.documents.find((d) => d.slug === slug);
          return document ? { body: renderDocument(view, document) } : undefined;
        });
      });
    }

    // Anything else under a locale prefix is an HTML "not found" in that language; other paths fall
    // through to the API's problem+json 404. More specific routes (other modules' pages) win over this.
    app.get<{ Params: { locale: string } }>('/:locale/*', hidden, async (request, reply) => {
      const { locale } = request.params;
      if (!isLocale(locale)) return reply.callNotFound();
      return sendNotFound(request, reply, locale, await getPublishedSite(ctx));
    });

    const siteWide = async (
      request: FastifyRequest,
      reply: FastifyReply,
      name: string,
      contentType: string,
      render: (site: PublishedSite | undefined, today: string) => string,
    ) => {
      const site = await getPublishedSite(ctx);
      const today = currentDay();
      const page = cache.getOrCreate(`${site?.version ?? 0}|${today}|${name}`, () =>
        preparePage(render(site, today), { contentType }),
      );
      return sendPage(request, reply, page);
    };

    app.get('/sitemap.xml', hidden, async (request, reply) => {
      // Other domains' public pages (published advisories) are listed too; their stamp keys the cache.
      const extra = await extraSitemapPaths(ctx);
      return siteWide(
        request,
        reply,
        `sitemap|${extra.stamp}`,
        'application/xml; charset=utf-8',
        (site, today) => {
          const paths = sitePaths(site, today);
          return renderSitemap(paths.length > 0 ? [...paths, ...extra.paths] : paths, {
            publicUrl: ctx.config.publicUrl,
            defaultLocale: site?.profile.defaultLocale ?? ctx.config.defaultLocale,
          });
        },
      );
    });
    app.get('/robots.txt', hidden, (request, reply) =>
      siteWide(request, reply, 'robots', 'text/plain; charset=utf-8', (site, today) =>
        renderRobots(sitePaths(site, today), { publicUrl: ctx.config.publicUrl }),
      ),
    );

    const css = preparePage(stylesheet, {
      contentType: 'text/css; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    const cssUnversioned = { ...css, cacheControl: 'public, max-age=3600' };
    app.get<{ Querystring: { v?: string } }>(STYLESHEET_PATH, hidden, (request, reply) => {
      // A public stylesheet: the admin app's sandboxed previews (an opaque origin) must be able to load it,
      // which helmet's default `same-origin` would refuse.
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return sendPage(request, reply, request.query.v === stylesheetVersion ? css : cssUnversioned);
    });

    // The brand colour's stylesheet: its URL names the colour, so any colour is served without a lookup.
    app.get<{ Params: { file: string } }>(`${BRAND_PATH_PREFIX}:file`, hidden, (request, reply) => {
      const hex = /^([0-9a-f]{6})\.css$/.exec(request.params.file)?.[1];
      const body = hex ? brandStylesheet(hex) : undefined;
      if (!body) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return sendPage(
        request,
        reply,
        preparePage(Buffer.from(body), {
          contentType: 'text/css; charset=utf-8',
          cacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    });

    // One icon for the public site and the admin app. Its URL is not versioned, so it is cached for a
    // day and revalidated by ETag; an SVG from this origin gets a CSP of its own that runs nothing.
    const icon = preparePage(favicon, {
      contentType: 'image/svg+xml',
      cacheControl: 'public, max-age=86400',
    });
    app.get(FAVICON_PATH, hidden, (request, reply) => {
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return sendPage(request, reply, icon);
    });
    // Browsers that ignore <link rel="icon"> ask for /favicon.ico: send them to the one icon.
    app.get('/favicon.ico', hidden, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').redirect(FAVICON_PATH, 301),
    );
  };
}
