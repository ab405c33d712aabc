import { translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath } from './layout.ts';
import { formatDate, inline, translator } from './localize.ts';
import { currentSubprocessors, page, type SiteView, text } from './site-view.ts';

/** The subprocessor list (name, purpose, location, effective date) and the change-notice subscription form. */
export function renderSubprocessors(view: SiteView): string {
  const t = translator(view.locale);
  const rows = currentSubprocessors(view)
    .map((s) => {
      const name = s.website
        ? `<a href="${escapeHtml(s.website)}" rel="noopener noreferrer">${escapeHtml(s.name)}</a>`
        : escapeHtml(s.name);
      return `<tr><th scope="row">${name}</th><td>${inline(text(view, s.purpose))}</td><td>${inline(text(view, s.location))}</td><td>${s.effectiveOn ? formatDate(view.locale, s.effectiveOn) : ''}</td></tr>`;
    })
    .join('\n');
  const table = rows
    ? `<table>
<caption>${t('subprocessors.caption')}</caption>
<thead><tr><th scope="col">${t('subprocessors.name')}</th><th scope="col">${t('subprocessors.purpose')}</th><th scope="col">${t('subprocessors.location')}</th><th scope="col">${t('subprocessors.effective')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : `<p>${t('subprocessors.empty')}</p>`;
  const body = `<h1>${t('subprocessors.title')}</h1>
<p class="lead">${t('subprocessors.intro')}</p>
${table}
<section aria-labelledby="subscribe">
<h2 id="subscribe">${t('subprocessors.subscribeHeading')}</h2>
<p>${t('subprocessors.subscribeIntro')}</p>
<form class="stack" method="post" action="${localePath(view.locale, '/subscriptions')}">
<label for="subscribe-email">${t('subprocessors.email')}</label>
<input id="subscribe-email" name="email" type="email" autocomplete="email" required maxlength="254">
<fieldset>
<legend>${t('subprocessors.topicsLegend')}</legend>
<label class="check"><input type="checkbox" name="topics" value="subprocessors" checked> ${t('subprocessors.topicSubprocessors')}</label>
<label class="check"><input type="checkbox" name="topics" value="updates" checked> ${t('subprocessors.topicUpdates')}</label>
</fieldset>
<p><button class="button" type="submit">${t('subprocessors.subscribe')}</button></p>
</form>
</section>`;
  return page(view, {
    path: '/subprocessors',
    title: translate(view.locale, 'trust:subprocessors.title'),
    body,
  });
}
