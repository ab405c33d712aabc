import type { RoleName } from '../http/actor.ts';
import { formatDateTime } from '../i18n/format.ts';
import type { Locale } from '../i18n/locales.ts';
import { translate } from '../i18n/translate.ts';
import { httpUrl, type MailContent, renderHtml, renderText } from './layout.ts';

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
 * http(s) URLs. The kernel declares its own (account mail); each domain adds its templates by
 * declaration merging (`declare module '…/core/mail/templates.ts' { interface MailTemplateVars … }`),
 * type only, and registers their builders with registerMailTemplates — so the kernel imports no domain.
 */
export interface MailTemplateVars extends CoreMailTemplateVars {}

/** The kernel's own templates: mail about a person's account. */
export type CoreMailTemplateVars = {
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
};

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

const coreBuilders: { [T in keyof CoreMailTemplateVars]: Builder<T> } = {
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
};

/**
 * Which mail goes first when the queue is long. `account`: mail a person is waiting for to get into
 * or protect an account (resets, invitations, sign-in links, security alerts) — links that expire
 * within the hour must not queue behind anything. `team`: the team's work and replies to people
 * the team is talking to. `bulk`: mail anyone on the internet can cause (receipts, confirmations
 * of forms, list notices), which a flood must not put ahead of the rest.
 */
export type MailClass = 'account' | 'team' | 'bulk';

type Registered = { namespace: string; build: Builder<MailTemplate>; mailClass: MailClass };
const registry = new Map<MailTemplate, Registered>();

/**
 * Adds templates whose texts live under `<namespace>:<template>.` in the catalogs. A domain calls this
 * from its index for every template it declared; the mapped types make a template without a builder
 * or a class a compile error. Registering a template again with another builder throws.
 */
export function registerMailTemplates<K extends MailTemplate>(
  namespace: string,
  builders: { [T in K]: Builder<T> },
  classes: { [T in K]: MailClass },
): void {
  for (const template of Object.keys(builders) as K[]) {
    const build = builders[template] as unknown as Builder<MailTemplate>;
    const known = registry.get(template);
    if (known && known.build !== build) throw new Error(`Mail template ${template} registered twice`);
    registry.set(template, { namespace, build, mailClass: classes[template] });
  }
}

/** The templates registered so far (the kernel's and those of every domain imported). */
export function registeredMailTemplates(): MailTemplate[] {
  return [...registry.keys()];
}

function registered(template: MailTemplate): Registered {
  const found = registry.get(template);
  if (!found) throw new Error(`Mail template ${template} is not registered: import its domain's index`);
  return found;
}

/** The queue class of a template. */
export function mailClassOf(template: MailTemplate): MailClass {
  return registered(template).mailClass;
}

registerMailTemplates<keyof CoreMailTemplateVars>('mail', coreBuilders, {
  invitation: 'account',
  'password-reset': 'account',
  'password-changed': 'account',
  'mfa-changed': 'account',
  'account-locked': 'account',
});

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
  const { namespace, build } = registered(template);
  const t: Translate = (key, values) => translate(locale, `${namespace}:${template}.${key}`, values);
  const when = (date: Date) => formatDateTime(locale, date, 'UTC');
  const body = (build as unknown as Builder<T>)(t, vars, when, locale);

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
