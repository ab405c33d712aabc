import { formatDateTime } from '../../core/i18n/format.ts';
import { httpUrl } from '../../core/mail/layout.ts';
import { type Builder, type MailTemplate, registerMailTemplates } from '../../core/mail/templates.ts';

/** What happened on a report that the team is told about (no confidential content goes by mail). */
export type TeamActivity = 'new-report' | 'researcher-message';

/** SLA notices to the triage team, each sent once per report (see disclosure/triage.sla.ts). */
export type SlaNoticeKind = 'reminder' | 'breached' | 'fix-overdue' | 'disclosure-approaching';

/**
 * Mail of the disclosure program to the triage team. Texts live in the `mail-vdp-team` catalogs;
 * template names start with `disclosure-team-`.
 */
export type DisclosureTeamMailTemplateVars = {
  'disclosure-team-activity': {
    organizationName: string;
    reportNumber: number;
    activity: TeamActivity;
    channel: string;
    outOfScope: boolean;
    responseDueBy: Date;
    link: string;
  };
  'disclosure-team-sla': {
    organizationName: string;
    reportNumber: number;
    kind: SlaNoticeKind;
    /** The deadline the notice is about, shown in the program's time zone. */
    dueAt: Date;
    timeZone: string;
    link: string;
  };
};

type Template = keyof DisclosureTeamMailTemplateVars & MailTemplate;

export const disclosureTeamBuilders: { [T in Template]: Builder<T> } = {
  'disclosure-team-activity': (t, vars, when) => ({
    subject: t(`subject.${vars.activity}`, vars),
    heading: t(`heading.${vars.activity}`, vars),
    paragraphs: [
      t(`intro.${vars.activity}`, { ...vars, channel: t(`channel.${vars.channel}`) }),
      ...(vars.outOfScope ? [t('outOfScope')] : []),
      t('due', { dueBy: when(vars.responseDueBy) }),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('confidential')],
  }),
  'disclosure-team-sla': (t, vars, _when, locale) => ({
    subject: t(`subject.${vars.kind}`, vars),
    heading: t(`heading.${vars.kind}`, vars),
    paragraphs: [
      t(`intro.${vars.kind}`, { ...vars, dueAt: formatDateTime(locale, vars.dueAt, vars.timeZone) }),
    ],
    action: { label: t('action'), url: httpUrl(vars.link) },
    notes: [t('once')],
  }),
};

declare module '../../core/mail/templates.ts' {
  // Declaration merging, type only: the kernel's template list grows without importing this domain.
  interface MailTemplateVars extends DisclosureTeamMailTemplateVars {}
}

/** Registers these templates (texts in the `mail-vdp-team` catalogs) and their queue classes; called by the index. */
export function registerDisclosureTeamMail(): void {
  registerMailTemplates<Template>('mail-vdp-team', disclosureTeamBuilders, {
    'disclosure-team-activity': 'team',
    'disclosure-team-sla': 'team',
  });
}
