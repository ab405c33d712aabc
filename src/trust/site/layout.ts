import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { FAVICON_PATH, stylesheetHref } from './assets.ts';
import { brandStylesheetHref } from './brand.ts';

export type PageInput = {
  locale: Locale;
  /** The page's path without the locale prefix: '/' for the home page, '/documents/dpa'. */
  path: string;
  title: string;
  /** Trusted HTML: everything in it must already be escaped. */
  body: string;
  profile: { companyName: string; logoDataUrl?: string; brandColor?: string | null };
  /** Preview and visitor-only pages: keep them out of search engines. */
  noindex?: boolean;
  /** Where `x-default` points for pages other than the home page (whose x-default is `/`). Default 'en'. */
  defaultLocale?: Locale;
  /** Absolute origin for the hreflang links (`https://trust.example.com`); root-relative without it. */
  publicUrl?: string;
  /** A line shown above the header (the preview banner). Plain text. */
  banner?: string;
  /** False for pages that are no section of the site (not found): no navigation entry is current. */
  inNavigation?: boolean;
};

/** The self-names shown in the language switcher, each in its own language. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', fr: 'Français' };

/** `/{locale}{path}`: the public URL of a page in one locale. */
export function localePath(locale: Locale, path: string): string {
  return `/${locale}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * A whole public page: `<html lang>`, hreflang alternates with x-default, skip link, header with the
 * company's name and logo, the site navigation, a language switcher that keeps the path, the page's
 * body in `<main>`, and a footer. No inline style or script (the CSP forbids both); the one
 * stylesheet is /assets/trust.css. Everything but `body` is escaped here.
 */
export function renderPage(input: PageInput): string {
  const { locale, path } = input;
  const t = (key: string, vars?: Record<string, unknown>) =>
    escapeHtml(translate(locale, `trust:${key}`, vars));
  const origin = input.publicUrl ?? '';
  const company = escapeHtml(input.profile.companyName);
  const xDefault = path === '/' ? '/' : localePath(input.defaultLocale ?? 'en', path);
  const alternates = locales
    .map((l) => `<link rel="alternate" hreflang="${l}" href="${escapeHtml(origin + localePath(l, path))}">`)
    .concat(`<link rel="alternate" hreflang="x-default" href="${escapeHtml(origin + xDefault)}">`)
    .join('\n');
  const logo = input.profile.logoDataUrl
    ? `<img class="logo" src="${escapeHtml(input.profile.logoDataUrl)}" alt="" height="40">`
    : '';
  const brand = brandStylesheetHref(input.profile.brandColor);
  const brandLink = brand ? `<link rel="stylesheet" href="${brand}">\n` : '';
  const switcher = locales
    .map((l) => {
      const current = l === locale ? ' aria-current="true"' : '';
      return `<li><a href="${escapeHtml(localePath(l, path))}" hreflang="${l}" lang="${l}"${current}>${LANGUAGE_NAMES[l]}</a></li>`;
    })
    .join('');
  const nav = (
    [
      ['/', 'home'],
      ['/subprocessors', 'subprocessors'],
      ['/updates', 'updates'],
      ['/security/policy', 'policy'],
    ] as const
  )
    .map(([href, key]) => {
      const current = input.inNavigation !== false && href === path ? ' aria-current="page"' : '';
      return `<li><a href="${localePath(locale, href)}"${current}>${t(`site.nav.${key}`)}</a></li>`;
    })
    .join('');
  const banner = input.banner ? `<p class="banner" role="status">${escapeHtml(input.banner)}</p>` : '';
  return `<!doctype html>
<html lang="${locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · ${company}</title>
${input.noindex ? '<meta name="robots" content="noindex, nofollow">\n' : ''}<link rel="stylesheet" href="${stylesheetHref()}">
${brandLink}<link rel="icon" type="image/svg+xml" href="${FAVICON_PATH}">
${alternates}
</head>
<body>
<a class="skip-link" href="#main">${t('site.skipLink')}</a>
${banner}<header class="site-header">
<div class="wrap header-row">
<a class="brand" href="${localePath(locale, '/')}" aria-label="${t('site.homeLink', { company: input.profile.companyName })}">${logo}<span>${company}</span></a>
<nav class="languages" aria-label="${t('site.languageNav')}"><ul>${switcher}</ul></nav>
</div>
<nav class="site-nav" aria-label="${t('site.mainNav')}"><div class="wrap"><ul>${nav}</ul></div></nav>
</header>
<main id="main" class="wrap" tabindex="-1">
${input.body}
</main>
<footer class="site-footer">
<div class="wrap">
<p><a href="${localePath(locale, '/security/policy')}">${t('site.footer.policy')}</a></p>
<p>© ${company} · ${t('site.footer.poweredBy')}</p>
</div>
</footer>
</body>
</html>
`;
}
