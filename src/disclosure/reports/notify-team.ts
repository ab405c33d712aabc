import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { isLocale, type Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { findActiveUsersByRole } from '../../identity/index.ts';
import type { TeamActivity } from '../mail/team.templates.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { adminReportUrl } from './report-links.ts';
import type { ReportRow } from './reports.store.ts';

/** Who reads reports and is told about them: mirrors `disclosure.report.read`. */
export const TRIAGE_ROLES = ['owner', 'admin', 'security'] as const;

export async function findTriageTeam(q: Queryable): Promise<{ email: string; locale: Locale }[]> {
  const rows = await findActiveUsersByRole(q, TRIAGE_ROLES);
  return rows.map((row) => ({ email: row.email, locale: isLocale(row.locale) ? row.locale : 'en' }));
}

/** Tells the triage team something happened on a report, with a link and no confidential content. */
export async function notifyTeam(
  ctx: AppContext,
  q: Queryable,
  report: ReportRow,
  activity: TeamActivity,
  options: {
    /** The program's company name, when the caller already holds the program (saves a read). */
    organizationName?: string;
    /** Who caused the activity: mail caused by anonymous requests is capped (core/mail/mail.quota.ts). */
    cause?: Actor;
  } = {},
): Promise<void> {
  const companyName = options.organizationName ?? (await getPublishedProgram(ctx, q)).source.companyName;
  for (const member of await findTriageTeam(q)) {
    await queueMail(ctx, q, {
      to: member.email,
      template: 'disclosure-team-activity',
      locale: member.locale,
      cause: options.cause,
      vars: {
        organizationName: companyName,
        reportNumber: report.number,
        activity,
        channel: report.channel,
        outOfScope: report.outOfScope,
        responseDueBy: report.responseDueAt,
        link: adminReportUrl(ctx, report.id),
      },
    });
  }
}
