import { formatDateTime, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath } from '../site/layout.ts';
import {
  accessPage,
  accessText,
  errorSummary,
  type FieldErrors,
  inputField,
  type PageFrame,
} from './access-site.pages.ts';

const tr = (frame: PageFrame, key: string, vars?: Record<string, unknown>) =>
  translate(frame.locale, `trust-access:${key}`, vars);

/** The access-request form of one document, with the visitor's values and errors when re-shown. */
export function requestFormPage(
  frame: PageFrame,
  input: {
    slug: string;
    documentTitle: string;
    nda: boolean;
    /** For a request of every restricted document: their titles, all of them included. */
    documentTitles?: string[];
    values?: Record<string, string>;
    errors?: FieldErrors;
  },
): string {
  const t = accessText(frame.locale);
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const path = `/documents/${input.slug}/request`;
  const field = (
    name: string,
    type: 'text' | 'email' | 'textarea',
    autocomplete: string | undefined,
    max: number,
  ) =>
    inputField({
      name,
      label: tr(frame, `request.${name}`),
      value: values[name],
      error: errors[name],
      type,
      autocomplete,
      maxLength: max,
    });
  const body = `<h1>${t('request.title', { document: input.documentTitle })}</h1>
${errorSummary(frame.locale, errors)}
<p class="lead">${t(input.documentTitles ? 'request.allIntro' : 'request.intro')}</p>
${
  input.documentTitles
    ? `<ul class="request-documents">${input.documentTitles.map((title) => `<li>${escapeHtml(title)}</li>`).join('')}</ul>`
    : ''
}
${input.nda ? `<p>${t(input.documentTitles ? 'request.allNdaNote' : 'request.ndaNote')}</p>` : ''}
<form class="stack" method="post" action="${escapeHtml(localePath(frame.locale, path))}" novalidate>
${field('name', 'text', 'name', 200)}
${field('email', 'email', 'email', 254)}
${field('company', 'text', 'organization', 200)}
${field('reason', 'textarea', undefined, 2000)}
<p><button class="button" type="submit">${t('request.submit')}</button></p>
</form>
<p><a href="${escapeHtml(localePath(frame.locale, input.documentTitles ? '/#documents' : `/documents/${input.slug}`))}">${t(input.documentTitles ? 'request.backToDocuments' : 'request.back')}</a></p>`;
  return accessPage(frame, {
    path,
    title: tr(frame, 'request.title', { document: input.documentTitle }),
    body,
  });
}

/** Asks for a new sign-in link by e-mail. */
export function signInFormPage(frame: PageFrame, input: { email?: string; error?: string } = {}): string {
  const t = accessText(frame.locale);
  const errors = input.error ? { email: input.error } : {};
  const body = `<h1>${t('signIn.title')}</h1>
${errorSummary(frame.locale, errors)}
<p class="lead">${t('signIn.intro')}</p>
<form class="stack" method="post" action="${escapeHtml(localePath(frame.locale, '/access'))}" novalidate>
${inputField({ name: 'email', label: tr(frame, 'signIn.email'), value: input.email, error: input.error, type: 'email', autocomplete: 'email', maxLength: 254 })}
<p><button class="button" type="submit">${t('signIn.submit')}</button></p>
</form>`;
  return accessPage(frame, { path: '/access', title: tr(frame, 'signIn.title'), body });
}

/** The page a sign-in link opens: one button, so that mail scanners following links don't spend it. */
export function continuePage(frame: PageFrame, token: string): string {
  const t = accessText(frame.locale);
  const action = localePath(frame.locale, `/access/login/${token}`);
  const body = `<h1>${t('login.title')}</h1>
<p>${t('login.body')}</p>
<form method="post" action="${escapeHtml(action)}"><p><button class="button" type="submit">${t('login.continue')}</button></p></form>`;
  return accessPage(frame, { path: '/access', title: tr(frame, 'login.title'), body });
}

export type ListedDocument = {
  slug: string;
  title: string;
  titleLang: string;
  level: 'request' | 'nda';
  /** False while an NDA is still needed for it. */
  downloadable: boolean;
};

/** The visitor's personal page: what they may download, and the NDA step when one is missing. */
export function documentsPage(
  frame: PageFrame,
  input: { accessToken: string; name: string; company: string; expiresAt: Date; documents: ListedDocument[] },
): string {
  const t = accessText(frame.locale);
  const base = `/access/${input.accessToken}`;
  const needsNda = input.documents.some((doc) => !doc.downloadable);
  const items = input.documents
    .map((doc) => {
      const action = doc.downloadable
        ? `<a class="button" href="${escapeHtml(localePath(frame.locale, `${base}/documents/${doc.slug}/download`))}">${t('access.download')}<span class="visually-hidden"> ${escapeHtml(doc.title)}</span></a>`
        : `<p>${t('access.ndaNeeded')} <a href="${escapeHtml(localePath(frame.locale, `${base}/nda`))}">${t('access.signNda')}</a></p>`;
      return `<li class="card"><h3 lang="${escapeHtml(doc.titleLang)}">${escapeHtml(doc.title)}</h3><p class="meta">${t(`access.levels.${doc.level}`)}</p>${action}</li>`;
    })
    .join('\n');
  const body = `<h1>${t('access.title')}</h1>
<p class="lead">${t('access.intro', { name: input.name, company: input.company, until: formatDateTime(frame.locale, input.expiresAt) })}</p>
${needsNda ? `<p class="notice">${t('access.ndaFirst')} <a href="${escapeHtml(localePath(frame.locale, `${base}/nda`))}">${t('access.signNda')}</a></p>` : ''}
${input.documents.length > 0 ? `<ul class="cards">\n${items}\n</ul>` : `<p>${t('access.empty')}</p>`}
<p class="meta">${t('access.private')}</p>`;
  // The switcher keeps the visitor on their own page in another language (the token is on the page anyway).
  return accessPage(frame, { path: base, title: tr(frame, 'access.title'), body });
}

/** The NDA click-through: the exact text, its fingerprint, typed full name and an explicit checkbox. */
export function ndaPage(
  frame: PageFrame,
  input: {
    accessToken: string;
    template: { id: string; title: string; body: string; version: number; sha256: string; locale: string };
    fullName?: string;
    errors?: FieldErrors;
    stale?: boolean;
  },
): string {
  const t = accessText(frame.locale);
  const errors = input.errors ?? {};
  const { template } = input;
  const paragraphs = template.body
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
  const agreeError = errors.agree
    ? `<strong class="field-error" id="field-agree-error">${escapeHtml(errors.agree)}</strong>`
    : '';
  const action = localePath(frame.locale, `/access/${input.accessToken}/nda`);
  const body = `<h1>${t('nda.title')}</h1>
${input.stale ? `<p class="notice" role="alert">${t('nda.stale')}</p>` : ''}
${errorSummary(frame.locale, errors)}
<p class="lead">${t('nda.intro')}</p>
${template.locale !== frame.locale ? `<p class="notice" role="note" data-nda-language="${escapeHtml(template.locale)}">${t('nda.otherLanguage', { language: translate(frame.locale, `trust-access:nda.languageNames.${template.locale}`) })}</p>` : ''}
<article class="card" lang="${escapeHtml(template.locale)}" aria-labelledby="nda-title">
<h2 id="nda-title">${escapeHtml(template.title)}</h2>
${paragraphs}
</article>
<p class="meta">${t('nda.version', { version: template.version })} · ${t('nda.fingerprint', { sha256: template.sha256 })}</p>
<form class="stack" method="post" action="${escapeHtml(action)}" novalidate>
<input type="hidden" name="templateId" value="${escapeHtml(template.id)}">
<input type="hidden" name="sha256" value="${escapeHtml(template.sha256)}">
${inputField({ name: 'fullName', label: tr(frame, 'nda.fullName'), value: input.fullName, error: errors.fullName, autocomplete: 'name', maxLength: 200 })}
${agreeError}<label class="check" for="field-agree"><input id="field-agree" type="checkbox" name="agree" value="yes" required${errors.agree ? ' aria-invalid="true" aria-describedby="field-agree-error"' : ''}> ${t('nda.agree')}</label>
<p><button class="button" type="submit">${t('nda.submit')}</button></p>
</form>`;
  return accessPage(frame, { path: `/access/${input.accessToken}/nda`, title: tr(frame, 'nda.title'), body });
}

/** The standalone subscription form (the subprocessors page has the same one). */
export function subscribeFormPage(
  frame: PageFrame,
  input: { email?: string; topics?: string[]; errors?: FieldErrors } = {},
): string {
  const t = accessText(frame.locale);
  const errors = input.errors ?? {};
  const topics = input.topics ?? ['subprocessors', 'updates'];
  const box = (topic: string, key: string) =>
    `<label class="check"><input type="checkbox" name="topics" value="${topic}"${topics.includes(topic) ? ' checked' : ''}> ${t(key)}</label>`;
  const body = `<h1>${t('subscribe.title')}</h1>
${errorSummary(frame.locale, errors)}
<p class="lead">${t('subscribe.intro')}</p>
<form class="stack" method="post" action="${escapeHtml(localePath(frame.locale, '/subscriptions'))}" novalidate>
${inputField({ name: 'email', label: tr(frame, 'subscribe.email'), value: input.email, error: errors.email, type: 'email', autocomplete: 'email', maxLength: 254 })}
<fieldset id="field-topics"><legend>${t('subscribe.topics')}</legend>
${errors.topics ? `<strong class="field-error">${escapeHtml(errors.topics)}</strong>` : ''}
${box('subprocessors', 'subscribe.topicSubprocessors')}
${box('updates', 'subscribe.topicUpdates')}
</fieldset>
<p><button class="button" type="submit">${t('subscribe.submit')}</button></p>
</form>`;
  return accessPage(frame, { path: '/subscriptions', title: tr(frame, 'subscribe.title'), body });
}

/** Confirms an unsubscribe with one button (a GET must not unsubscribe: mail scanners follow links). */
export function unsubscribePage(frame: PageFrame, token: string): string {
  const t = accessText(frame.locale);
  const action = localePath(frame.locale, `/subscriptions/unsubscribe/${token}`);
  const body = `<h1>${t('unsubscribe.title')}</h1>
<p>${t('unsubscribe.body')}</p>
<form method="post" action="${escapeHtml(action)}"><p><button class="button" type="submit">${t('unsubscribe.submit')}</button></p></form>`;
  return accessPage(frame, { path: '/subscriptions', title: tr(frame, 'unsubscribe.title'), body });
}
