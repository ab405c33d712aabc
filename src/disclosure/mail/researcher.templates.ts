import { formatDateTime } from '../../core/i18n/format.ts';
import { httpUrl } from '../../core/mail/layout.ts';
import { type Builder, type MailTemplate, registerMailTemplates } from '../../core/mail/templates.ts';

/** Report states a researcher is told about, as keys of the `status` texts. */
export type ResearcherVisibleStatus =
  | 'triaged'
  | 'accepted'
  | 'fixing'
  | 'resolved'
  | 'disclosed'
  | 'duplicate'
  | 'out_of_scope'
  | 'informative'
  | 'not_applicable'
  | 'spam'
  | 'wont_fix'
  | 'needs_more_info'
  | 'retest';

/**
 * Mail of the disclosure program to researchers. Texts live in the `mail-vdp-researcher` catalogs;
 * template names start with `disclosure-researcher-`. Deadlines are shown in the program's time zone.
 */
export type DisclosureResearcherMailTemplateVars = {
  'disclosure-researcher-receipt': {
    organizationName: string;
    reportNumber: number;
    title: string;
    responseDueBy: Date;
    timeZone: string;
    link: string;
  };
  'disclosure-researcher-message': {
    organizationName: string;
    reportNumber: number;
    message: string;
    link: string;
  };
  'disclosure-researcher-first-response': {
    organizationName: string;
    reportNumber: number;
    assessment: string;
    expectedResolutionOn: string;
    link: string;
  };
  'disclosure-researcher-status': {
    organizationName: string;
    reportNumber: number;
    status: ResearcherVisibleStatus;
    /** The team's words that came with the change, when there are some. */
    message?: string;
    link: string;
  };
  'disclosure-researcher-portal-link': { organizationName: string; link: string; expiresAt: Date };
};

type Template = keyof DisclosureResearcherMailTemplateVars & MailTemplate;

/** A calendar day (`YYYY-MM-DD`) in the reader's language. */
function calendarDay(locale: string, day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export const disclosureResearcherBuilders: { [T in Template]: Builder<T> } = {
  'disclosure-researcher-receipt': (t, vars, _when, locale) => ({
    subject: t('subject', vars),
    heading: t('heading', vars),
    paragraphs: [
      t('intro', vars),
      t('due', { dueBy: formatDateTime(locale, vars.responseDueBy, vars.timeZone) }),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('keep'), t('confidential', vars)],
  }),
  'disclosure-researcher-message': (t, vars) => ({
    subject: t('subject', vars),
    heading: t('heading', vars),
    paragraphs: [t('intro', vars), vars.message],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('reply')],
  }),
  'disclosure-researcher-first-response': (t, vars, _when, locale) => ({
    subject: t('subject', vars),
    heading: t('heading', vars),
    paragraphs: [
      t('intro', vars),
      vars.assessment,
      t('expected', { day: calendarDay(locale, vars.expectedResolutionOn) }),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('reply')],
  }),
  'disclosure-researcher-status': (t, vars) => ({
    subject: t('subject', vars),
    heading: t('heading', vars),
    paragraphs: [t(`status.${vars.status}`, vars), ...(vars.message ? [vars.message] : [])],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [],
  }),
  'disclosure-researcher-portal-link': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars)],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('expiry', { expiresAt: when(vars.expiresAt) }), t('ignore')],
  }),
};

declare module '../../core/mail/templates.ts' {
  // Declaration merging, type only: the kernel's template list grows without importing this domain.
  interface MailTemplateVars extends DisclosureResearcherMailTemplateVars {}
}

/** Registers these templates (texts in the `mail-vdp-researcher` catalogs) and their queue classes; called by the index. */
export function registerDisclosureResearcherMail(): void {
  registerMailTemplates<Template>('mail-vdp-researcher', disclosureResearcherBuilders, {
    'disclosure-researcher-portal-link': 'account',
    'disclosure-researcher-message': 'team',
    'disclosure-researcher-first-response': 'team',
    'disclosure-researcher-status': 'team',
    'disclosure-researcher-receipt': 'bulk',
  });
}
