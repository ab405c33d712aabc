import { formatDateTime, type Locale, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath, type PageFrame } from '../../trust/index.ts';
import {
  ACCEPTED_ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
} from '../intake/intake.attachments.ts';
import {
  errorSummary,
  type FieldErrors,
  fileInput,
  paragraphs,
  radioGroup,
  textArea,
  textInput,
  vdpText,
} from '../intake/intake.fields.ts';
import { researcherPage } from '../intake/intake.pages.ts';
import { UNPUBLISHED_VERSION } from '../program/program.service.ts';
import type { PortalListEntry, ResearcherAttachment, ResearcherReportView } from './portal.service.ts';

const tr = (locale: Locale, key: string, vars?: Record<string, unknown>) =>
  translate(locale, `vdp-intake:${key}`, vars);

function when(locale: Locale, date: Date, timeZone: string): string {
  return `<time datetime="${date.toISOString()}">${escapeHtml(formatDateTime(locale, date, timeZone))}</time>`;
}

/** The state as the researcher reads it: the status, and what we wait for when there is a sub-status. */
export function statusText(locale: Locale, status: string, subStatus: string | null): string {
  const main = tr(locale, `status.${status}`);
  return subStatus ? `${main} — ${tr(locale, `subStatus.${subStatus}`)}` : main;
}

function attachmentList(locale: Locale, base: string, files: ResearcherAttachment[]): string {
  if (files.length === 0) return '';
  const t = vdpText(locale);
  const items = files
    .map((file) => {
      const size = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(file.size / 1024);
      return `<li><a href="${escapeHtml(`${base}/attachments/${file.id}`)}" download>${escapeHtml(file.fileName)}</a> <span class="meta">(${escapeHtml(file.contentType.split(';')[0] ?? '')}, ${t('report.kilobytes', { size })})</span></li>`;
    })
    .join('');
  return `<ul class="attachments">${items}</ul>`;
}

export type ReportPageInput = {
  /** The report's address with the locale and the secret: `/fr/security/follow/{token}`. */
  base: string;
  /** The same without the locale, for the language switcher. */
  path: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
  done?: 'reply' | 'credit';
  /** The portal's list of reports, when the page was opened through a portal link. */
  listHref?: string;
};

function messagesSection(frame: PageFrame, view: ResearcherReportView, base: string): string {
  const { locale } = frame;
  const t = vdpText(locale);
  const items = view.messages
    .map((message) => {
      const author =
        message.kind === 'team'
          ? t('messages.team', { company: frame.profile.companyName })
          : t(`messages.${message.kind}`);
      const files = view.attachments.filter((file) => file.messageId === message.id);
      return `<li><article class="message message-${message.kind}">
<h3>${author} <span class="meta">${when(locale, new Date(message.createdAt), view.timeZone)}</span></h3>
${paragraphs(message.body)}
${attachmentList(locale, base, files)}
</article></li>`;
    })
    .join('\n');
  return `<section aria-labelledby="messages-title">
<h2 id="messages-title">${t('messages.title')}</h2>
${items ? `<ol class="messages">${items}</ol>` : `<p>${t('messages.none')}</p>`}
</section>`;
}

function replyForm(
  locale: Locale,
  base: string,
  values: Record<string, string>,
  errors: FieldErrors,
): string {
  const t = vdpText(locale);
  return `<section aria-labelledby="reply-title">
<h2 id="reply-title">${t('reply.title')}</h2>
<form class="stack" id="field-form" method="post" action="${escapeHtml(`${base}/messages`)}" enctype="multipart/form-data" novalidate>
${textArea({ name: 'body', label: tr(locale, 'reply.body'), hint: tr(locale, 'reply.hint'), error: errors.body, required: true, value: values.body, maxLength: 20_000, rows: 6 })}
${fileInput({
  name: 'attachments',
  label: tr(locale, 'fields.attachments.label'),
  hint: tr(locale, 'fields.attachments.hint', {
    count: MAX_ATTACHMENTS,
    megabytes: MAX_ATTACHMENT_BYTES / 1024 / 1024,
  }),
  error: errors.attachments,
  accept: ACCEPTED_ATTACHMENT_TYPES,
})}
<p><button class="button" type="submit">${t('reply.submit')}</button></p>
</form>
</section>`;
}

function creditForm(
  locale: Locale,
  view: ResearcherReportView,
  base: string,
  values: Record<string, string>,
  errors: FieldErrors,
): string {
  const t = vdpText(locale);
  if (view.report.erasedAt) return '';
  const value = (name: 'name' | 'handle' | 'url') => values[name] ?? view.reporter[name];
  return `<section aria-labelledby="credit-title">
<h2 id="credit-title">${t('credit.title')}</h2>
<p>${t('credit.intro')}</p>
<form class="stack" method="post" action="${escapeHtml(`${base}/credit`)}" enctype="multipart/form-data" novalidate>
${radioGroup({
  name: 'creditPreference',
  legend: tr(locale, 'fields.creditPreference.label'),
  error: errors.creditPreference,
  value: values.creditPreference ?? view.report.creditPreference,
  options: ['name', 'handle', 'anonymous'].map((option) => ({
    value: option,
    label: tr(locale, `credit.${option}`),
  })),
})}
${textInput({ name: 'name', label: tr(locale, 'fields.name.label'), error: errors.name, value: value('name'), autocomplete: 'name', maxLength: 200 })}
${textInput({ name: 'handle', label: tr(locale, 'fields.handle.label'), error: errors.handle, value: value('handle'), autocomplete: 'nickname', maxLength: 100 })}
${textInput({ name: 'url', label: tr(locale, 'fields.url.label'), hint: tr(locale, 'fields.url.hint'), error: errors.url, type: 'url', value: value('url'), autocomplete: 'url', maxLength: 500 })}
<p><button class="button" type="submit">${t('credit.submit')}</button></p>
</form>
</section>`;
}

/** One report as its researcher sees it: state, conversation, files, reply and credit forms. */
export function reportPage(frame: PageFrame, view: ResearcherReportView, input: ReportPageInput): string {
  const { locale } = frame;
  const t = vdpText(locale);
  const { report, content } = view;
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const done = input.done ? `<p class="banner" role="status">${t(`done.${input.done}`)}</p>` : '';
  const due = report.firstResponseAt
    ? `<dt>${t('report.firstResponse')}</dt><dd>${when(locale, report.firstResponseAt, view.timeZone)}</dd>`
    : `<dt>${t('report.dueBy')}</dt><dd>${when(locale, report.responseDueAt, view.timeZone)}</dd>`;
  const own = view.attachments.filter((file) => file.messageId === null);
  const sent = [
    ['description', content.description],
    ['steps', content.steps],
    ['impact', content.impact],
  ]
    .filter(([, text]) => text?.trim())
    .map(([key, text]) => `<h3>${t(`fields.${key}.label`)}</h3>\n${paragraphs(text as string)}`)
    .join('\n');
  const list = input.listHref
    ? `<p><a href="${escapeHtml(input.listHref)}">${t('portal.backToList')}</a></p>`
    : `<p><a href="${escapeHtml(localePath(locale, '/security/portal'))}">${t('portal.allReports')}</a></p>`;
  const body = `${done}<h1>${t('report.title', { number: report.number })}</h1>
<p class="lead">${escapeHtml(content.title)}</p>
${errorSummary(locale, errors)}
<dl class="facts">
<dt>${t('report.status')}</dt><dd>${escapeHtml(statusText(locale, report.status, report.subStatus))}</dd>
<dt>${t('report.received')}</dt><dd>${when(locale, report.receivedAt, view.timeZone)}</dd>
${due}
${report.policyVersion === UNPUBLISHED_VERSION ? `<dt>${t('report.policy')}</dt><dd>${t('report.beforePolicy')}</dd>` : ''}
${report.asset ? `<dt>${t('fields.asset.label')}</dt><dd>${escapeHtml(report.asset)}</dd>` : ''}
${report.cvssVector ? `<dt>${t('fields.cvssVector.label')}</dt><dd><code>${escapeHtml(report.cvssVector)}</code></dd>` : ''}
</dl>
<p class="meta">${t('report.private')}</p>
<details>
<summary><h2>${t('report.yourReport')}</h2></summary>
${sent}
${own.length > 0 ? `<h3>${t('report.attachments')}</h3>\n${attachmentList(locale, input.base, own)}` : ''}
</details>
${messagesSection(frame, view, input.base)}
${replyForm(locale, input.base, values, errors)}
${creditForm(locale, view, input.base, values, errors)}
${list}`;
  return researcherPage(frame, {
    path: input.path,
    title: tr(locale, 'report.title', { number: report.number }),
    body,
    noindex: true,
  });
}

/** The reports of one address, opened by a portal link. */
export function portalListPage(
  frame: PageFrame,
  input: { base: string; path: string; reports: PortalListEntry[]; timeZone: string },
): string {
  const { locale } = frame;
  const t = vdpText(locale);
  const rows = input.reports
    .map(
      (report) => `<tr>
<td><a href="${escapeHtml(`${input.base}/reports/${report.number}`)}">#${report.number}</a></td>
<td>${escapeHtml(report.title)}</td>
<td>${escapeHtml(statusText(locale, report.status, report.subStatus))}</td>
<td>${when(locale, report.receivedAt, input.timeZone)}</td>
</tr>`,
    )
    .join('\n');
  const table = rows
    ? `<table>
<caption class="visually-hidden">${t('portal.title')}</caption>
<thead><tr><th scope="col">${t('portal.number')}</th><th scope="col">${t('portal.reportTitle')}</th><th scope="col">${t('report.status')}</th><th scope="col">${t('report.received')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : `<p>${t('portal.empty')}</p>`;
  const body = `<h1>${t('portal.title')}</h1>
<p class="lead">${t('portal.intro')}</p>
${table}
<p><a href="${escapeHtml(localePath(locale, '/security/report'))}">${t('portal.newReport')}</a></p>`;
  return researcherPage(frame, { path: input.path, title: tr(locale, 'portal.title'), body, noindex: true });
}

/** Asks for a portal link by e-mail. */
export function portalRequestPage(frame: PageFrame, input: { email?: string; error?: string } = {}): string {
  const { locale } = frame;
  const t = vdpText(locale);
  const errors = input.error ? { email: input.error } : {};
  const body = `<h1>${t('portalRequest.title')}</h1>
${errorSummary(locale, errors)}
<p class="lead">${t('portalRequest.intro')}</p>
<form class="stack" method="post" action="${escapeHtml(localePath(locale, '/security/portal'))}" novalidate>
${textInput({ name: 'email', label: tr(locale, 'fields.email.label'), error: input.error, required: true, type: 'email', value: input.email, autocomplete: 'email', maxLength: 254 })}
<p><button class="button" type="submit">${t('portalRequest.submit')}</button></p>
</form>`;
  return researcherPage(frame, { path: '/security/portal', title: tr(locale, 'portalRequest.title'), body });
}
