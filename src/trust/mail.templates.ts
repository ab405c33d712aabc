import type { Locale } from '../core/i18n/locales.ts';
import { httpUrl } from '../core/mail/layout.ts';
import { type Builder, type MailTemplate, registerMailTemplates } from '../core/mail/templates.ts';

/** One change announced to trust-center subscribers. `effectiveOn` is a calendar date (UTC midnight). */
export type SubscriptionChange = {
  kind: 'subprocessor-added' | 'subprocessor-removed' | 'subprocessor-changed' | 'update-published';
  name: string;
  effectiveOn?: Date;
};

/** Mail of the trust center: access requests, magic links, signed NDAs, subscriptions. */
export type TrustMailTemplateVars = {
  'trust-access-confirm': { organizationName: string; documentTitle: string; link: string; expiresAt: Date };
  'trust-access-pending': {
    organizationName: string;
    visitorName: string;
    visitorEmail: string;
    company: string;
    documentTitle: string;
    reason: string;
    link: string;
  };
  'trust-access-approved': { organizationName: string; link: string; expiresAt: Date; grantExpiresAt: Date };
  'trust-access-denied': { organizationName: string };
  'trust-magic-link': { organizationName: string; link: string; expiresAt: Date };
  'trust-nda-signed': {
    organizationName: string;
    signerName: string;
    signerEmail: string;
    company: string;
    ndaTitle: string;
    ndaVersion: number;
    acceptedAt: Date;
  };
  'trust-subscription-confirm': { organizationName: string; link: string };
  'trust-subscription-notice': {
    organizationName: string;
    changes: SubscriptionChange[];
    link: string;
    unsubscribeLink: string;
  };
};

type TrustTemplate = keyof TrustMailTemplateVars & MailTemplate;

/** A calendar date in the reader's language: "March 5, 2025", "5 de marzo de 2025". */
function calendarDate(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export const trustBuilders: { [T in TrustTemplate]: Builder<T> } = {
  'trust-access-confirm': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars)],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('expiry', { expiresAt: when(vars.expiresAt) }), t('ignore')],
  }),
  'trust-access-pending': (t, vars) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars), t('reason', { reason: vars.reason })],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [],
  }),
  'trust-access-approved': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', { ...vars, grantExpiresAt: when(vars.grantExpiresAt) })],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('expiry', { expiresAt: when(vars.expiresAt) }), t('keep')],
  }),
  'trust-access-denied': (t, vars) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars)],
    notes: [t('contact')],
  }),
  'trust-magic-link': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars)],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('expiry', { expiresAt: when(vars.expiresAt) }), t('ignore')],
  }),
  'trust-nda-signed': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [
      t('intro', { ...vars, acceptedAt: when(vars.acceptedAt) }),
      t('signer', { signerName: vars.signerName, signerEmail: vars.signerEmail, company: vars.company }),
    ],
    notes: [t('attached')],
  }),
  'trust-subscription-confirm': (t, vars) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars)],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('ignore')],
  }),
  'trust-subscription-notice': (t, vars, _when, locale) => ({
    subject: t('subject', { ...vars, count: vars.changes.length }),
    heading: t('heading'),
    paragraphs: [
      t('intro', { organizationName: vars.organizationName }),
      ...vars.changes.map((change) =>
        change.effectiveOn
          ? t(`changes.${change.kind}-effective`, {
              name: change.name,
              effectiveOn: calendarDate(locale, change.effectiveOn),
            })
          : t(`changes.${change.kind}`, { name: change.name }),
      ),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('why', { organizationName: vars.organizationName })],
    unsubscribeUrl: vars.unsubscribeLink,
  }),
};

declare module '../core/mail/templates.ts' {
  // Declaration merging, type only: the kernel's template list grows without importing this domain.
  interface MailTemplateVars extends TrustMailTemplateVars {}
}

/** Registers these templates (texts in the `mail-trust` catalogs) and their queue classes; called by the index. */
export function registerTrustMail(): void {
  registerMailTemplates<TrustTemplate>('mail-trust', trustBuilders, {
    'trust-magic-link': 'account',
    'trust-access-pending': 'team',
    'trust-access-approved': 'team',
    'trust-access-denied': 'team',
    'trust-nda-signed': 'team',
    'trust-access-confirm': 'bulk',
    'trust-subscription-confirm': 'bulk',
    'trust-subscription-notice': 'bulk',
  });
}
