import type { Builder, MailTemplate } from './templates.ts';

/**
 * Mail of the disclosure program (team). Texts live in the `mail-vdp-team` catalogs;
 * template names start with `disclosure-team-`.
 */
// biome-ignore lint/complexity/noBannedTypes: filled in as templates are added
export type DisclosureTeamMailTemplateVars = {};

export const disclosureTeamBuilders: {
  [T in keyof DisclosureTeamMailTemplateVars & MailTemplate]: Builder<T>;
} = {};
