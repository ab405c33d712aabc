import { type Locale, locales } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import type { SiteSnapshot } from '../publication/publication.schemas.ts';
import { localePath } from './layout.ts';
import { visibleDocuments } from './site-view.ts';

/**
 * Every public page, without its locale prefix. The sitemap, robots.txt and the page routes all come
 * from this one list, and every path exists under every locale.
 */
export function sitePaths(site: SiteSnapshot | undefined, today: string): string[] {
  // Before the first publication every page says "not published yet" (noindex): nothing to list.
  if (!site) return [];
  // The disclosure program's public pages live in the same site, under /security/.
  const fixed = [
    '/',
    '/subprocessors',
    '/updates',
    '/security/policy',
    '/security/report',
    '/security/advisories',
    '/security/thanks',
  ];
  const view = { site, locale: site.profile.defaultLocale, publicUrl: '', today };
  return [...fixed, ...visibleDocuments(view).map((d) => `/documents/${d.slug}`)];
}

/** Sitemaps protocol 0.9 with xhtml:link alternates per locale and x-default (Google's hreflang form). */
export function renderSitemap(
  paths: string[],
  options: { publicUrl: string; defaultLocale: Locale },
): string {
  const abs = (path: string) => escapeHtml(options.publicUrl + path);
  const urls = paths.flatMap((path) => {
    const alternates = locales
      .map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${abs(localePath(l, path))}"/>`)
      .concat(
        `<xhtml:link rel="alternate" hreflang="x-default" href="${abs(path === '/' ? '/' : localePath(options.defaultLocale, path))}"/>`,
      )
      .join('\n');
    return locales.map((l) => `<url>\n<loc>${abs(localePath(l, path))}</loc>\n${alternates}\n</url>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${urls.join('\n')}
</urlset>
`;
}

/** robots.txt: the public pages are open; the API, the admin app and visitors' personal pages are not. */
export function renderRobots(paths: string[], options: { publicUrl: string }): string {
  const allow = locales.flatMap((l) => paths.map((p) => `Allow: ${localePath(l, p)}`));
  const personal = ['/access/', '/security/follow/', '/security/portal/'];
  const disallow = ['/api/', '/app/', ...locales.flatMap((l) => personal.map((p) => localePath(l, p)))].map(
    (p) => `Disallow: ${p}`,
  );
  return ['User-agent: *', ...allow, ...disallow, '', `Sitemap: ${options.publicUrl}/sitemap.xml`, ''].join(
    '\n',
  );
}
