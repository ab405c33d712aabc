import { translate } from '../../core/i18n/index.ts';
import type { SiteDocument } from '../publication/publication.schemas.ts';
import { localePath } from './layout.ts';
import { block, formatDate, inline, translator } from './localize.ts';
import { isExpired, page, type SiteView, text } from './site-view.ts';

/**
 * A document's page: title, description, validity and access level; then a Download link (public),
 * an access-request form (request, nda: handled by the access module), or, once expired, a notice.
 */
export function renderDocument(view: SiteView, document: SiteDocument): string {
  const t = translator(view.locale);
  const title = text(view, document.title);
  const expired = isExpired(document, view.today);
  const base = localePath(view.locale, `/documents/${document.slug}`);
  const validity = [
    document.validFrom
      ? `<dt>${t('document.validFrom')}</dt><dd>${formatDate(view.locale, document.validFrom)}</dd>`
      : '',
    document.validUntil
      ? `<dt>${t('document.validUntil')}</dt><dd>${formatDate(view.locale, document.validUntil)}${expired ? ` <span class="status status-expired">${t('document.expired')}</span>` : ''}</dd>`
      : '',
  ].join('');
  let action: string;
  if (expired) {
    action = `<p class="notice" role="note">${t('document.expiredNotice')}</p>`;
  } else if (document.accessLevel === 'public') {
    action = `<p><a class="button" href="${base}/download">${t('document.download', { title: title?.text ?? document.slug })}</a></p>`;
  } else {
    action = requestForm(view, document, base);
  }
  const body = `<h1>${inline(title)}</h1>
${block(text(view, document.description))}
<dl class="facts">
<dt>${t('document.accessLevel')}</dt><dd>${t(`access.${document.accessLevel}`)}</dd>
${validity}
</dl>
${action}
<p><a href="${localePath(view.locale, '/')}">${t('document.back')}</a></p>`;
  return page(view, {
    path: `/documents/${document.slug}`,
    title: title?.text ?? translate(view.locale, 'trust:home.documents'),
    body,
  });
}

function requestForm(view: SiteView, document: SiteDocument, base: string): string {
  const t = translator(view.locale);
  return `<section aria-labelledby="request">
<h2 id="request">${t('document.requestHeading')}</h2>
<p>${t('document.requestIntro')}</p>
${document.accessLevel === 'nda' ? `<p>${t('document.ndaIntro')}</p>` : ''}
<form class="stack" method="post" action="${base}/request">
<label for="request-name">${t('document.name')}</label>
<input id="request-name" name="name" type="text" autocomplete="name" required maxlength="200">
<label for="request-email">${t('document.email')}</label>
<input id="request-email" name="email" type="email" autocomplete="email" required maxlength="254">
<label for="request-company">${t('document.company')}</label>
<input id="request-company" name="company" type="text" autocomplete="organization" required maxlength="200">
<label for="request-reason">${t('document.reason')}</label>
<textarea id="request-reason" name="reason" required maxlength="2000"></textarea>
<p><button class="button" type="submit">${t('document.submit')}</button></p>
</form>
</section>`;
}
