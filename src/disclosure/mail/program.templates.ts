import { httpUrl } from '../../core/mail/layout.ts';
import { type Builder, type MailTemplate, registerMailTemplates } from '../../core/mail/templates.ts';

/** What is about to expire: the fixed Expires date of security.txt, or the program's OpenPGP key. */
export type ProgramExpiryItem = 'security-txt' | 'pgp-key';

/**
 * Mail of the disclosure program about the program itself (to owners, admins and the security team).
 * Texts live in the `mail-vdp-program` catalogs; template names start with `disclosure-program-`.
 */
export type DisclosureProgramMailTemplateVars = {
  'disclosure-program-expiry-warning': {
    organizationName: string;
    item: ProgramExpiryItem;
    expiresAt: Date;
    /** The key's fingerprint, for `pgp-key`. */
    fingerprint?: string;
    link: string;
  };
};

type Template = keyof DisclosureProgramMailTemplateVars & MailTemplate;

export const disclosureProgramBuilders: { [T in Template]: Builder<T> } = {
  'disclosure-program-expiry-warning': (t, vars, when) => ({
    subject: t(`subject.${vars.item}`, vars),
    heading: t(`heading.${vars.item}`),
    paragraphs: [
      t(`intro.${vars.item}`, {
        organizationName: vars.organizationName,
        expiresAt: when(vars.expiresAt),
        fingerprint: vars.fingerprint ?? '',
      }),
      t(`consequence.${vars.item}`),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('once')],
  }),
};

declare module '../../core/mail/templates.ts' {
  // Declaration merging, type only: the kernel's template list grows without importing this domain.
  interface MailTemplateVars extends DisclosureProgramMailTemplateVars {}
}

/** Registers these templates (texts in the `mail-vdp-program` catalogs) and their queue classes; called by the index. */
export function registerDisclosureProgramMail(): void {
  registerMailTemplates<Template>('mail-vdp-program', disclosureProgramBuilders, {
    'disclosure-program-expiry-warning': 'team',
  });
}
