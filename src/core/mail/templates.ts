import type { RoleName } from '../http/actor.ts';
import { formatDateTime } from '../i18n/format.ts';
import type { Locale } from '../i18n/locales.ts';
import { translate } from '../i18n/translate.ts';
import {
  type DisclosureProgramMailTemplateVars,
  disclosureProgramBuilders,
} from './disclosure-program-templates.ts';
import {
  type DisclosureResearcherMailTemplateVars,
  disclosureResearcherBuilders,
} from './disclosure-researcher-templates.ts';
import { type DisclosureTeamMailTemplateVars, disclosureTeamBuilders } from './disclosure-team-templates.ts';
import { httpUrl, type MailContent, renderHtml, renderText } from './layout.ts';
import { type TrustMailTemplateVars, trustBuilders } from './trust-templates.ts';

/** What changed in a user's second factors, for the `mfa-changed` notice. */
export type MfaChange =
  | 'enabled'
  | 'reset'
  | 'recovery-codes-regenerated'
  | 'passkey-added'
  | 'passkey-removed';

/**
 * Every mail template and the variables it needs. Strings are shown verbatim (escaped in
 * HTML); dates are formatted in the recipient's locale, in UTC; links must be absolute
 * http(s) URLs.
 */
export type MailTemplateVars = {
  /** `role` is a role key; the mail shows its translated name and what it may do, never the key. */
  invitation: {
    organizationName: string;
    inviterName: string;
    role: RoleName;
    link: string;
    expiresAt: Date;
  };
  'password-reset': { organizationName: string; link: string; expiresAt: Date };
  'password-changed': { organizationName: string; time: Date };
  'mfa-changed': { organizationName: string; change: MfaChange; time: Date };
  'account-locked': { organizationName: string; until: Date };
} & TrustMailTemplateVars &
  DisclosureResearcherMailTemplateVars &
  DisclosureTeamMailTemplateVars &
  DisclosureProgramMailTemplateVars;

export type MailTemplate = keyof MailTemplateVars;

export type RenderedMail = { subject: string; text: string; html: string };

/** Template-specific content; the greeting, footer and link fallback line are shared. */
export type TemplateBody = Pick<MailContent, 'subject' | 'heading' | 'paragraphs' | 'notes'> & {
  action?: { label: string; url: string };
  /** A one-click way out, shown in the footer (subscription notices). */
  unsubscribeUrl?: string;
};

/** Translates a key under `mail:<template>.` for the recipient's locale. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export type Builder<T extends MailTemplate> = (
  t: Translate,
  vars: MailTemplateVars[T],
  when: (date: Date) => string,
  locale: Locale,
) => TemplateBody;

const builders: { [T in MailTemplate]: Builder<T> } = {
  invitation: (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading', vars),
    paragraphs: [
      t('intro', {
        ...vars,
        role: t(`roles.${vars.role}`),
        roleDescription: t(`roleDescriptions.${vars.role}`),
      }),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('expiry', { expiresAt: when(vars.expiresAt) }), t('ignore')],
  }),
  'password-reset': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', vars)],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('expiry', { expiresAt: when(vars.expiresAt) }), t('ignore')],
  }),
  'password-changed': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', { organizationName: vars.organizationName, time: when(vars.time) })],
    notes: [t('warning')],
  }),
  'mfa-changed': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [
      t(`changes.${vars.change}`, { organizationName: vars.organizationName, time: when(vars.time) }),
    ],
    notes: [t('warning')],
  }),
  'account-locked': (t, vars, when) => ({
    subject: t('subject', vars),
    heading: t('heading'),
    paragraphs: [t('intro', { organizationName: vars.organizationName, until: when(vars.until) })],
    notes: [t('after'), t('warning')],
  }),
  ...trustBuilders,
  ...disclosureResearcherBuilders,
  ...disclosureTeamBuilders,
  ...disclosureProgramBuilders,
};

/** The catalog a template's texts live in: `mail`, or `mail-vdp-<part>` for `disclosure-<part>-…`. */
function mailNamespaceOf(template: MailTemplate): string {
  const part = /^disclosure-(researcher|team|program)-/.exec(template)?.[1];
  return part ? `mail-vdp-${part}` : 'mail';
}

/**
 * Renders a transactional email in the recipient's language from the `mail` catalog.
 *
 * @returns a one-line subject, a plain-text body and an HTML body (`<html lang>`, all
 *   interpolated values escaped once; the text body is never escaped).
 * Throws TypeError if a link is not an absolute http(s) URL, RangeError for an invalid Date.
 */
export function renderMail<T extends MailTemplate>(
  template: T,
  locale: Locale,
  vars: MailTemplateVars[T],
): RenderedMail {
  const namespace = mailNamespaceOf(template);
  const t: Translate = (key, values) => translate(locale, `${namespace}:${template}.${key}`, values);
  const when = (date: Date) => formatDateTime(locale, date, 'UTC');
  const body = (builders[template] as Builder<T>)(t, vars, when, locale);

  const content: MailContent = {
    ...body,
    // Names come from users; keep the Subject header a single line whatever they contain.
    // Line breaks and runs of spaces become one space; no-break spaces (French "\u00a0:") stay.
    subject: body.subject.replace(/[^\S\u00a0\u202f]+/g, ' ').trim(),
    greeting: translate(locale, 'mail:layout.greeting'),
    action: body.action && {
      ...body.action,
      textLabel: translate(locale, 'mail:layout.actionText', { label: body.action.label }),
      fallbackLabel: translate(locale, 'mail:layout.linkFallback'),
    },
    unsubscribe: body.unsubscribeUrl
      ? { label: translate(locale, 'mail:layout.unsubscribe'), url: httpUrl(body.unsubscribeUrl) }
      : undefined,
    footer: translate(locale, 'mail:layout.footer', { organizationName: vars.organizationName }),
  };
  return { subject: content.subject, text: renderText(content), html: renderHtml(content, locale) };
}
