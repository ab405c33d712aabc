import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import type { JobDefinition } from '../../core/jobs/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import type { SlaNoticeKind } from '../mail/team.templates.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { findTriageTeam } from '../reports/notify-team.ts';
import { adminReportUrl } from '../reports/report-links.ts';
import { calendarOf } from '../reports/reports.service.ts';
import { insertReportEvent, type ReportRow } from '../reports/reports.store.ts';
import { addBusinessDays } from './sla.ts';
import {
  claimSlaNotice,
  findAwaitingFirstResponse,
  findDisclosureApproaching,
  findFixOverdue,
} from './triage.store.ts';

/**
 * The SLA watch. Every few minutes it looks for reports that need the team's attention and mails the
 * triage team (owners, admins, security), once per report and kind — `disclosure_sla_notices` holds a
 * unique (report, kind) row claimed in the transaction that queues the mails, so runs that overlap or
 * repeat (several processes, retries) never send a notice twice:
 *   reminder                within one business day of the first-response deadline, still unanswered
 *   breached                the first-response deadline passed, still unanswered
 *   fix-overdue             the fix target (by severity) passed while the report is being worked on
 *   disclosure-approaching  DISCLOSURE_WARNING_DAYS before the disclosure deadline, not yet disclosed
 */

export const SLA_CHECK_JOB = 'disclosure.sla-check';
/** Every five minutes: a reminder or an alert is at most that late. */
const SLA_CHECK_CRON = '*/5 * * * *';
export const DISCLOSURE_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

export type SlaCheckResult = Record<SlaNoticeKind, number>;
type Due = { report: ReportRow; kind: SlaNoticeKind; dueAt: Date };

async function dueNotices(ctx: AppContext, now: Date): Promise<Due[]> {
  const db = ctx.database.db;
  const { source } = await getPublishedProgram(ctx);
  const reminderHorizon = addBusinessDays(now, 1, calendarOf(source));
  const notices: Due[] = [];
  for (const report of await findAwaitingFirstResponse(db, reminderHorizon)) {
    const kind = report.responseDueAt < now ? 'breached' : 'reminder';
    notices.push({ report, kind, dueAt: report.responseDueAt });
  }
  for (const report of await findFixOverdue(db, now)) {
    if (report.fixDueAt) notices.push({ report, kind: 'fix-overdue', dueAt: report.fixDueAt });
  }
  const disclosureHorizon = new Date(now.getTime() + DISCLOSURE_WARNING_DAYS * DAY_MS);
  for (const report of await findDisclosureApproaching(db, disclosureHorizon)) {
    if (report.disclosureDueAt)
      notices.push({ report, kind: 'disclosure-approaching', dueAt: report.disclosureDueAt });
  }
  return notices;
}

/** One pass of the watch at `now` (tests pass a fixed clock). Returns how many notices of each kind went. */
export async function runSlaChecks(ctx: AppContext, now = new Date()): Promise<SlaCheckResult> {
  const sent: SlaCheckResult = { reminder: 0, breached: 0, 'fix-overdue': 0, 'disclosure-approaching': 0 };
  const notices = await dueNotices(ctx, now);
  if (notices.length === 0) return sent;
  const { source } = await getPublishedProgram(ctx);
  for (const { report, kind, dueAt } of notices) {
    await ctx.database.db.transaction(async (tx) => {
      if (!(await claimSlaNotice(tx, report.id, kind))) return;
      sent[kind] += 1;
      for (const member of await findTriageTeam(tx)) {
        await queueMail(ctx, tx, {
          to: member.email,
          template: 'disclosure-team-sla',
          locale: member.locale,
          vars: {
            organizationName: source.companyName,
            reportNumber: report.number,
            kind,
            dueAt,
            timeZone: source.timeZone,
            link: adminReportUrl(ctx, report.id),
          },
        });
      }
      await insertReportEvent(tx, {
        reportId: report.id,
        type: 'sla-notice',
        details: { kind, dueAt: dueAt.toISOString() },
      });
    });
  }
  return sent;
}

export function slaCheckJob(ctx: AppContext): JobDefinition<z.ZodType> {
  return {
    name: SLA_CHECK_JOB,
    payload: z.object({}).passthrough(),
    retryLimit: 2,
    handle: async () => {
      await runSlaChecks(ctx);
    },
  };
}

/** Registers the periodic check (pg-boss keeps one schedule per name, so every process may call this). */
export async function defineSlaJobs(ctx: AppContext): Promise<void> {
  await ctx.jobs.define([slaCheckJob(ctx)]);
  await ctx.jobs.boss.schedule(SLA_CHECK_JOB, SLA_CHECK_CRON, {}, { tz: 'UTC' });
}
