import type { Builder, MailTemplate } from './templates.ts';

/**
 * Mail of the disclosure program (researcher). Texts live in the `mail-vdp-researcher` catalogs;
 * template names start with `disclosure-researcher-`.
 */
// biome-ignore lint/complexity/noBannedTypes: filled in as templates are added
export type DisclosureResearcherMailTemplateVars = {};

export const disclosureResearcherBuilders: {
  [T in keyof DisclosureResearcherMailTemplateVars & MailTemplate]: Builder<T>;
} = {};
