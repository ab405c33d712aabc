import { translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath } from './layout.ts';
import { block, formatDate, inline, translator } from './localize.ts';
import { page, type SiteView, text } from './site-view.ts';

/** Dated security notes, newest first, each with an anchor (`#slug`) the Atom feed links to. */
export function renderUpdates(view: SiteView): string {
  const t = translator(view.locale);
  const items = view.site.updates
    .map(
      (u) => `<article id="${escapeHtml(u.slug)}" aria-labelledby="update-${escapeHtml(u.slug)}">
<h2 id="update-${escapeHtml(u.slug)}">${inline(text(view, u.title))}</h2>
<p class="meta">${formatDate(view.locale, u.publishedOn)}</p>
${block(text(view, u.body))}
</article>`,
    )
    .join('\n');
  const body = `<h1>${t('updates.title')}</h1>
<p class="lead">${t('updates.intro')}</p>
<p><a href="${localePath(view.locale, '/updates.atom')}" type="application/atom+xml">${t('updates.feed')}</a></p>
<div class="updates">
${items || `<p>${t('updates.empty')}</p>`}
</div>`;
  return page(view, { path: '/updates', title: translate(view.locale, 'trust:updates.title'), body });
}

/** RFC 4287 Atom feed of the updates in one locale (text content, fallbacks tagged with xml:lang). */
export function renderUpdatesFeed(view: SiteView & { publishedAt: string }): string {
  const { locale, publicUrl } = view;
  const pageUrl = `${publicUrl}${localePath(locale, '/updates')}`;
  const newest = view.site.updates[0]?.publishedOn;
  const updated = newest ? `${newest}T00:00:00Z` : view.publishedAt;
  const entries = view.site.updates
    .map((u) => {
      const title = text(view, u.title);
      const body = text(view, u.body);
      return `<entry>
<id>urn:uuid:${escapeHtml(u.id)}</id>
<title xml:lang="${title?.lang ?? locale}">${escapeHtml(title?.text ?? u.slug)}</title>
<link rel="alternate" type="text/html" href="${escapeHtml(`${pageUrl}#${u.slug}`)}"/>
<updated>${u.publishedOn}T00:00:00Z</updated>
<published>${u.publishedOn}T00:00:00Z</published>
<content type="text" xml:lang="${body?.lang ?? locale}">${escapeHtml(body?.text ?? '')}</content>
</entry>`;
    })
    .join('\n');
  const company = view.site.profile.companyName;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
<id>${escapeHtml(pageUrl)}</id>
<title>${escapeHtml(translate(locale, 'trust:updates.feedTitle', { company }))}</title>
<updated>${updated}</updated>
<author><name>${escapeHtml(company)}</name></author>
<link rel="self" type="application/atom+xml" href="${escapeHtml(`${publicUrl}${localePath(locale, '/updates.atom')}`)}"/>
<link rel="alternate" type="text/html" href="${escapeHtml(pageUrl)}"/>
${entries}
</feed>
`;
}
