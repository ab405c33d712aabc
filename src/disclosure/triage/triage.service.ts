import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { isLocale, type Locale, translate } from '../../core/i18n/index.ts';
import type { ResearcherVisibleStatus } from '../mail/researcher.templates.ts';
import type { PublishedProgram } from '../program/program.schema.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { addSystemMessage, addTeamMessage, mailResearcher } from '../reports/messages.service.ts';
import { actorUserId, recordReportChange } from '../reports/report-trail.ts';
import { calendarOf } from '../reports/reports.service.ts';
import { findReportById, type ReportRow, updateReport } from '../reports/reports.store.ts';
import type { ReportStatus } from '../tables.ts';
import { triageProblems } from './triage.problems.ts';
import type { FirstResponseBody, ReportSummaryView, Severity, TransitionBody } from './triage.schemas.ts';
import { fixDueAtFor } from './triage.severity.ts';
import { assertTransition, isClosingStatus, type SubStatus } from './triage.states.ts';
import { findReportByNumber, lockReport } from './triage.store.ts';
import { summaryOf } from './triage.views.ts';

/** Changes to a report's life cycle: status transitions, the first response, team messages and notes. */

export type ReportTx = { tx: Queryable; report: ReportRow; program: PublishedProgram };

const reportLocale = (report: ReportRow): Locale => (isLocale(report.locale) ? report.locale : 'en');

/**
 * Runs `work` in a transaction on the report, locked (concurrent changes to one report take turns),
 * and answers the report's summary as it is afterwards. 404 when there is no such report.
 */
export async function changeReport(
  ctx: AppContext,
  reportId: string,
  work: (on: ReportTx) => Promise<ReportRow>,
): Promise<ReportSummaryView> {
  return ctx.database.db.transaction(async (tx) => {
    const report = await lockReport(tx, reportId);
    if (!report) throw triageProblems.reportNotFound(reportId);
    const program = await getPublishedProgram(ctx, tx);
    const changed = await work({ tx, report, program });
    return summaryOf(ctx, tx, changed, calendarOf(program.source));
  });
}

async function findDuplicateTarget(q: Queryable, report: ReportRow, ref: string | number) {
  const target = typeof ref === 'number' ? await findReportByNumber(q, ref) : await findReportById(q, ref);
  if (!target) throw triageProblems.field('/duplicateOf', `there is no report ${ref}`);
  if (target.id === report.id) throw triageProblems.field('/duplicateOf', 'a report cannot duplicate itself');
  return target;
}

type StatusChange = {
  to: ReportStatus;
  subStatus: SubStatus | null;
  message?: string;
  duplicateOf?: ReportRow;
  /** false inside a first response, whose own mail tells the researcher. */
  mailResearcher: boolean;
};

/** What the researcher is told a change means, if anything (clearing a sub-state is internal). */
function visibleChange(from: ReportRow, to: ReportStatus, sub: SubStatus | null) {
  if (sub && sub !== from.subStatus) return sub;
  if (from.status === to) return null;
  return to as ResearcherVisibleStatus;
}

/** The one path of every status or sub-status change: the table, timestamps, timeline, audit, researcher. */
export async function applyStatusChange(
  ctx: AppContext,
  on: ReportTx,
  actor: Actor,
  change: StatusChange,
): Promise<ReportRow> {
  const { tx, report, program } = on;
  const from = report.status;
  const { statusChanged } = assertTransition(
    from,
    report.subStatus as SubStatus | null,
    change.to,
    change.subStatus,
  );
  if (change.to === 'duplicate' && !change.duplicateOf)
    throw triageProblems.field('/duplicateOf', 'closing as a duplicate needs the original report');
  if (change.to !== 'duplicate' && change.duplicateOf)
    throw triageProblems.field('/duplicateOf', 'only a duplicate names an original report');
  const now = new Date();
  // Any decision on the report answers a researcher's reply after closing.
  const updates: Partial<ReportRow> = {
    status: change.to,
    subStatus: change.subStatus,
    replyAfterCloseAt: null,
  };
  if (statusChanged) {
    if (!report.triagedAt) {
      // Any decision out of `new` is triage: the clock for "time to triage" stops here.
      updates.triagedAt = now;
      updates.fixDueAt = fixDueAtFor(program.source, report.severity as Severity | null, {
        triagedAt: now,
        receivedAt: report.receivedAt,
      });
    }
    if (change.to === 'resolved') updates.resolvedAt = now;
    if (from === 'resolved' && change.to === 'fixing') updates.resolvedAt = null;
    if (change.to === 'disclosed') updates.disclosedAt = now;
    if (isClosingStatus(change.to)) updates.closedAt = now;
    else if (isClosingStatus(from)) updates.closedAt = null;
    updates.duplicateOf = change.duplicateOf?.id ?? null;
  }
  const updated = (await updateReport(tx, report.id, updates)) as ReportRow;
  const details = {
    from,
    to: change.to,
    fromSubStatus: report.subStatus,
    subStatus: change.subStatus,
    ...(change.duplicateOf ? { duplicateOf: change.duplicateOf.number } : {}),
  };
  await recordReportChange(tx, actor, report, {
    type: 'status-changed',
    action: 'disclosure.report.status-changed',
    details,
  });

  const visible = visibleChange(report, change.to, change.subStatus);
  if (!visible) {
    if (change.message)
      await addTeamMessage(ctx, tx, actor, updated, {
        body: change.message,
        authorUserId: actorUserId(actor),
      });
    return updated;
  }
  const line = isClosingStatus(from) && change.to === 'triaged' ? 'reopened' : visible;
  await addSystemMessage(ctx, tx, updated, translate(reportLocale(report), `vdp-triage:system.${line}`));
  if (change.message) {
    await addTeamMessage(ctx, tx, actor, updated, {
      body: change.message,
      authorUserId: actorUserId(actor),
      mail: false,
    });
  }
  if (change.mailResearcher) {
    await mailResearcher(ctx, tx, updated, 'disclosure-researcher-status', {
      status: visible,
      ...(change.message ? { message: change.message } : {}),
    });
  }
  return updated;
}

/** POST /reports/{id}/transition. */
export function transitionReport(ctx: AppContext, actor: Actor, reportId: string, body: TransitionBody) {
  return changeReport(ctx, reportId, async (on) => {
    const duplicateOf =
      body.duplicateOf !== undefined
        ? await findDuplicateTarget(on.tx, on.report, body.duplicateOf)
        : undefined;
    return applyStatusChange(ctx, on, actor, {
      to: body.to,
      subStatus: body.subStatus ?? null,
      message: body.message,
      duplicateOf,
      mailResearcher: true,
    });
  });
}

/** Today's date (YYYY-MM-DD) on the program's clock. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function longDay(locale: Locale, day: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/**
 * POST /reports/{id}/first-response: the promised answer, with an assessment and an expected resolution
 * date (the schema refuses either missing). Once per report. A new report becomes triaged unless another
 * status is asked for; the researcher gets one mail, the first response, which also says the status.
 */
export function sendFirstResponse(ctx: AppContext, actor: Actor, reportId: string, body: FirstResponseBody) {
  return changeReport(ctx, reportId, async (on) => {
    const { tx, report, program } = on;
    if (report.firstResponseAt) throw triageProblems.firstResponseSent(report.number, report.firstResponseAt);
    const today = todayIn(program.source.timeZone);
    if (body.expectedResolutionOn < today) {
      throw triageProblems.field(
        '/expectedResolutionOn',
        `the expected resolution date cannot be in the past (it is ${today} in ${program.source.timeZone})`,
      );
    }
    const target = body.status ?? (report.status === 'new' ? 'triaged' : report.status);
    let current = report;
    if (target !== report.status) {
      current = await applyStatusChange(ctx, on, actor, {
        to: target,
        subStatus: null,
        mailResearcher: false,
      });
    }
    const now = new Date();
    const withinSla = now <= report.responseDueAt;
    current = (await updateReport(tx, report.id, {
      firstResponseAt: now,
      expectedResolutionOn: body.expectedResolutionOn,
    })) as ReportRow;
    const expected = translate(reportLocale(report), 'vdp-triage:firstResponse.expected', {
      day: longDay(reportLocale(report), body.expectedResolutionOn),
    });
    await addTeamMessage(ctx, tx, actor, current, {
      body: `${body.assessment}\n\n${expected}`,
      authorUserId: actorUserId(actor),
      isFirstResponse: true,
    });
    const details = { expectedResolutionOn: body.expectedResolutionOn, withinSla, status: current.status };
    await recordReportChange(tx, actor, report, {
      type: 'first-response',
      action: 'disclosure.report.first-response-sent',
      details,
    });
    await mailResearcher(ctx, tx, current, 'disclosure-researcher-first-response', {
      assessment: body.assessment,
      expectedResolutionOn: body.expectedResolutionOn,
    });
    return current;
  });
}
