import { formatDateTime, type Locale, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath, type PageFrame, renderPage } from '../../trust/index.ts';
import type { PublishedProgram } from '../program/program.schema.ts';
import { PROGRAM_PATHS } from '../program/program.urls.ts';
import { ACCEPTED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './intake.attachments.ts';
import {
  checkbox,
  errorSummary,
  type FieldErrors,
  fileInput,
  radioGroup,
  selectField,
  textArea,
  textInput,
  vdpText,
} from './intake.fields.ts';
import { intakeCategories } from './intake.service.ts';

const tr = (locale: Locale, key: string, vars?: Record<string, unknown>) =>
  translate(locale, `vdp-intake:${key}`, vars);

/** A researcher page in the site's layout. Pages under a secret link are kept out of search engines. */
export function researcherPage(
  frame: PageFrame,
  input: { path: string; title: string; body: string; noindex?: boolean },
): string {
  return renderPage({
    locale: frame.locale,
    path: input.path,
    title: input.title,
    body: input.body,
    profile: frame.profile,
    defaultLocale: frame.defaultLocale,
    publicUrl: frame.publicUrl,
    noindex: input.noindex,
  });
}

/** Why the form stopped before sending: the category or the asset is out of the program's scope. */
export type OutOfScopeNotice = { category?: string; asset?: string };

function outOfScopeBlock(locale: Locale, notice: OutOfScopeNotice, confirmed: boolean): string {
  const t = vdpText(locale);
  const reasons = [
    notice.category ? `<li>${t('outOfScope.category', { category: notice.category })}</li>` : '',
    notice.asset ? `<li>${t('outOfScope.asset', { asset: notice.asset })}</li>` : '',
  ].join('');
  return `<section class="notice" id="out-of-scope" aria-labelledby="out-of-scope-title">
<h2 id="out-of-scope-title">${t('outOfScope.title')}</h2>
<ul>${reasons}</ul>
<p>${t('outOfScope.explain')}</p>
${checkbox({ name: 'confirmOutOfScope', labelHtml: t('outOfScope.confirm'), checked: confirmed })}
</section>`;
}

/**
 * The report form, server-rendered and complete without JavaScript. Shown again after a refusal with
 * everything typed kept (files excepted: browsers never let a page refill a file input) and the errors
 * linked from a summary; or with the out-of-scope notice and its "send anyway" box.
 */
export function reportFormPage(
  frame: PageFrame,
  program: PublishedProgram,
  input: {
    values?: Record<string, string>;
    errors?: FieldErrors;
    outOfScope?: OutOfScopeNotice;
    filesDropped?: boolean;
  } = {},
): string {
  const { locale } = frame;
  const { source } = program;
  const t = vdpText(locale);
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const text = (key: string, vars?: Record<string, unknown>) => tr(locale, key, vars);
  const field = (name: string) => ({
    name,
    label: text(`fields.${name}.label`),
    hint: text(`fields.${name}.hint`),
    error: errors[name],
  });
  const assets = source.assets.map((asset) => ({
    value: asset.identifier,
    label: asset.inScope
      ? asset.identifier
      : text('fields.asset.outOfScopeOption', { asset: asset.identifier }),
  }));
  const categories = intakeCategories(source, locale);
  const policyLink = `<a href="${escapeHtml(localePath(locale, PROGRAM_PATHS.policy))}">${t('fields.acceptPolicy.link')}</a>`;
  const confirmation = input.outOfScope
    ? outOfScopeBlock(locale, input.outOfScope, values.confirmOutOfScope === 'yes')
    : '';
  const summary = input.outOfScope
    ? `<p class="notice" role="alert"><a href="#out-of-scope">${t('outOfScope.summary')}</a></p>`
    : '';
  const filesDropped = input.filesDropped ? `<p class="notice">${t('form.filesDropped')}</p>` : '';
  const body = `<h1>${t('form.title')}</h1>
${errorSummary(locale, errors)}${summary}
<p class="lead">${t('form.intro', { company: source.companyName, count: source.responseBusinessDays })}</p>
<p>${t('form.policy', { version: program.version })} <a href="${escapeHtml(localePath(locale, PROGRAM_PATHS.policy))}">${t('form.policyLink')}</a></p>
<p class="meta">${t('form.confidential')}</p>
${filesDropped}
<form class="stack" id="field-form" method="post" action="${escapeHtml(localePath(locale, PROGRAM_PATHS.reportForm))}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="policyVersion" value="${program.version}">
<fieldset>
<legend>${t('form.vulnerability')}</legend>
${selectField({
  ...field('asset'),
  value: values.asset,
  groups: [{ options: [{ value: '', label: text('fields.asset.other') }, ...assets] }],
})}
${selectField({
  ...field('category'),
  required: true,
  value: values.category,
  groups: [
    { options: [{ value: '', label: text('fields.category.choose') }] },
    {
      label: text('fields.category.common'),
      options: categories.filter((c) => !c.outOfScope).map((c) => ({ value: c.key, label: c.label })),
    },
    {
      label: text('fields.category.excluded'),
      options: categories.filter((c) => c.outOfScope).map((c) => ({ value: c.key, label: c.label })),
    },
  ].filter((group) => group.options.length > 0),
})}
${textInput({ ...field('title'), required: true, value: values.title, maxLength: 200 })}
${textArea({ ...field('description'), required: true, value: values.description, maxLength: 20_000, rows: 10 })}
${textArea({ ...field('steps'), value: values.steps, maxLength: 20_000, rows: 8 })}
${textArea({ ...field('impact'), value: values.impact, maxLength: 5_000, rows: 4 })}
${textInput({ ...field('cvssVector'), value: values.cvssVector, maxLength: 300 })}
${fileInput({
  ...field('attachments'),
  hint: text('fields.attachments.hint', {
    count: MAX_ATTACHMENTS,
    megabytes: MAX_ATTACHMENT_BYTES / 1024 / 1024,
  }),
  accept: ACCEPTED_ATTACHMENT_TYPES,
})}
</fieldset>
<fieldset>
<legend>${t('form.you')}</legend>
<p class="meta">${t('form.youHint')}</p>
${textInput({ ...field('name'), value: values.name, autocomplete: 'name', maxLength: 200 })}
${textInput({ ...field('email'), type: 'email', value: values.email, autocomplete: 'email', maxLength: 254 })}
${textInput({ ...field('handle'), value: values.handle, autocomplete: 'nickname', maxLength: 100 })}
${textInput({ ...field('url'), type: 'url', value: values.url, autocomplete: 'url', maxLength: 500 })}
${radioGroup({
  name: 'creditPreference',
  legend: text('fields.creditPreference.label'),
  hint: text('fields.creditPreference.hint'),
  error: errors.creditPreference,
  value: values.creditPreference || 'anonymous',
  options: ['name', 'handle', 'anonymous'].map((value) => ({
    value,
    label: text(`credit.${value}`),
  })),
})}
</fieldset>
${checkbox({
  name: 'acceptPolicy',
  labelHtml: t('fields.acceptPolicy.label', { version: program.version }).replace('{link}', policyLink),
  checked: values.acceptPolicy === 'yes',
  error: errors.acceptPolicy,
  required: true,
})}
${confirmation}
<p><button class="button" type="submit">${t('form.submit')}</button></p>
</form>`;
  return researcherPage(frame, { path: PROGRAM_PATHS.reportForm, title: text('form.title'), body });
}

/** After a report is stored (the answer to the form's redirect): its number, the due date, the link. */
export function receivedPage(
  frame: PageFrame,
  input: {
    /** The page's own path without the locale, so the language links keep the secret. */
    path: string;
    number: number;
    dueBy: Date;
    timeZone: string;
    followUrl: string;
    emailed: boolean;
  },
): string {
  const { locale } = frame;
  const t = vdpText(locale);
  const due = `<time datetime="${input.dueBy.toISOString()}">${escapeHtml(formatDateTime(locale, input.dueBy, input.timeZone))}</time>`;
  const body = `<h1>${t('received.title', { number: input.number })}</h1>
<p class="lead">${t('received.due').replace('{date}', due)}</p>
<h2>${t('received.linkTitle')}</h2>
<p><a href="${escapeHtml(input.followUrl)}">${escapeHtml(input.followUrl)}</a></p>
<p class="notice">${t('received.keep')}</p>
<p>${input.emailed ? t('received.emailed') : t('received.notEmailed')}</p>
<p><a href="${escapeHtml(localePath(locale, PROGRAM_PATHS.policy))}">${t('received.back')}</a></p>`;
  return researcherPage(frame, {
    path: input.path,
    title: tr(locale, 'received.title', { number: input.number }),
    body,
    noindex: true,
  });
}
