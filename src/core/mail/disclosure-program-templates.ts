import type { Builder, MailTemplate } from './templates.ts';

/**
 * Mail of the disclosure program (program). Texts live in the `mail-vdp-program` catalogs;
 * template names start with `disclosure-program-`.
 */
// biome-ignore lint/complexity/noBannedTypes: filled in as templates are added
export type DisclosureProgramMailTemplateVars = {};

export const disclosureProgramBuilders: {
  [T in keyof DisclosureProgramMailTemplateVars & MailTemplate]: Builder<T>;
} = {};
