import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import { isLocale } from '../../core/i18n/index.ts';
import { findUserSummaries } from '../../identity/index.ts';
import { UNPUBLISHED_VERSION } from '../program/program.service.ts';
import { listMessages } from '../reports/messages.service.ts';
import { openAttachmentName, openReportContent, openReporter } from '../reports/reports.sealing.ts';
import { findAttachments, findReportEvents, type ReportRow } from '../reports/reports.store.ts';
import { addBusinessDays, type BusinessCalendar, businessDaysBetween } from './sla.ts';
import type { ReportDetailView, ReportSummaryView, Severity } from './triage.schemas.ts';
import { isOpenStatus, SUB_STATUSES, type SubStatus, TRANSITIONS } from './triage.states.ts';
import { findReportRefs } from './triage.store.ts';

/** Turns report rows into the API's views: titles and contents opened, the SLA clock read. */

const HOUR_MS = 3_600_000;
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export type FirstResponseVerdict = 'met' | 'missed' | 'pending' | 'not-applicable';

/**
 * Whether the first-response promise was kept. A report closed before its deadline without an answer
 * is outside the promise (spam, duplicates); closed or still open after it without one, it was missed.
 */
export function firstResponseVerdict(
  report: Pick<ReportRow, 'status' | 'firstResponseAt' | 'responseDueAt' | 'closedAt' | 'resolvedAt'>,
  now: Date,
): FirstResponseVerdict {
  if (report.firstResponseAt) return report.firstResponseAt <= report.responseDueAt ? 'met' : 'missed';
  const end = isOpenStatus(report.status) ? now : (report.closedAt ?? report.resolvedAt ?? now);
  if (end > report.responseDueAt) return 'missed';
  return isOpenStatus(report.status) ? 'pending' : 'not-applicable';
}

/** The last `now + 1 business day` computed: every row of one page asks it for the same `now` and calendar. */
let dueSoonHorizon = { key: '', at: new Date(0) };

function oneBusinessDayAfter(now: Date, calendar: BusinessCalendar): Date {
  const { country, region } = calendar.holidays;
  const key = `${now.getTime()}|${calendar.timeZone}|${country ?? ''}|${region ?? ''}`;
  if (dueSoonHorizon.key !== key) dueSoonHorizon = { key, at: addBusinessDays(now, 1, calendar) };
  return dueSoonHorizon.at;
}

export function slaView(report: ReportRow, calendar: BusinessCalendar, now: Date): ReportSummaryView['sla'] {
  const verdict = firstResponseVerdict(report, now);
  const waiting = !report.firstResponseAt && isOpenStatus(report.status);
  let state: ReportSummaryView['sla']['state'];
  if (waiting) {
    if (now > report.responseDueAt) state = 'breached';
    else state = oneBusinessDayAfter(now, calendar) >= report.responseDueAt ? 'due-soon' : 'due';
  } else {
    state = verdict === 'met' ? 'met' : verdict === 'missed' ? 'missed' : 'not-applicable';
  }
  return {
    state,
    responseDueAt: report.responseDueAt.toISOString(),
    businessDaysLeft: waiting ? businessDaysBetween(now, report.responseDueAt, calendar) : null,
    hoursLeft: waiting ? Math.trunc((report.responseDueAt.getTime() - now.getTime()) / HOUR_MS) : null,
    fixDueAt: iso(report.fixDueAt),
    fixOverdue: Boolean(report.fixDueAt && report.fixDueAt < now && isOpenStatus(report.status)),
    disclosureDueAt: iso(report.disclosureDueAt),
  };
}

type Assignees = Map<string, { id: string; name: string; email: string }>;

export async function assigneesOf(q: Queryable, rows: ReportRow[]): Promise<Assignees> {
  const ids = [...new Set(rows.map((row) => row.assigneeId).filter((id): id is string => id !== null))];
  const users = await findUserSummaries(q, ids);
  return new Map(users.map((user) => [user.id, { id: user.id, name: user.name, email: user.email }]));
}

export function summaryView(
  ctx: AppContext,
  report: ReportRow,
  context: { calendar: BusinessCalendar; now: Date; assignees: Assignees; title?: string },
): ReportSummaryView {
  const title = context.title ?? openReportContent(ctx.keyring, report.id, report.contentSealed).title;
  return {
    id: report.id,
    number: report.number,
    title,
    status: report.status,
    subStatus: (report.subStatus as SubStatus | null) ?? null,
    channel: report.channel,
    senderVerified: report.senderVerified,
    locale: isLocale(report.locale) ? report.locale : 'en',
    asset: report.asset,
    category: report.category,
    outOfScope: report.outOfScope,
    beforePolicy: report.policyVersion === UNPUBLISHED_VERSION,
    severity: (report.severity as Severity | null) ?? null,
    cvssScore: report.cvssScore === null ? null : Number(report.cvssScore),
    severityProposed: report.severityProposed,
    assignee: report.assigneeId ? (context.assignees.get(report.assigneeId) ?? null) : null,
    receivedAt: report.receivedAt.toISOString(),
    responseDueAt: report.responseDueAt.toISOString(),
    firstResponseAt: iso(report.firstResponseAt),
    replyAfterCloseAt: iso(report.replyAfterCloseAt),
    sla: slaView(report, context.calendar, context.now),
  };
}

/** One report's summary, for the answers of writes. */
export async function summaryOf(
  ctx: AppContext,
  q: Queryable,
  report: ReportRow,
  calendar: BusinessCalendar,
): Promise<ReportSummaryView> {
  return summaryView(ctx, report, { calendar, now: new Date(), assignees: await assigneesOf(q, [report]) });
}

/** Everything about a report, opened: the caller audits the read. */
export async function detailView(
  ctx: AppContext,
  q: Queryable,
  report: ReportRow,
  calendar: BusinessCalendar,
): Promise<ReportDetailView> {
  const content = openReportContent(ctx.keyring, report.id, report.contentSealed);
  const reporter = report.reporterSealed ? openReporter(ctx.keyring, report.id, report.reporterSealed) : null;
  const refs = await findReportRefs(q, [
    ...report.duplicateCandidates,
    ...(report.duplicateOf ? [report.duplicateOf] : []),
  ]);
  const refById = new Map(refs.map((ref) => [ref.id, ref]));
  const attachments = await findAttachments(q, report.id);
  const events = await findReportEvents(q, report.id);
  const summary = summaryView(ctx, report, {
    calendar,
    now: new Date(),
    assignees: await assigneesOf(q, [report]),
    title: content.title,
  });
  return {
    ...summary,
    // Named by the caller, which holds the program (triage.read.ts categoryLabels).
    categoryLabels: null,
    content,
    reporter: reporter
      ? {
          name: reporter.name ?? null,
          email: reporter.email ?? null,
          handle: reporter.handle ?? null,
          url: reporter.url ?? null,
        }
      : null,
    creditPreference: report.creditPreference,
    erasedAt: iso(report.erasedAt),
    sourceUrl: report.sourceUrl,
    policyVersion: report.policyVersion,
    cvssVector: report.cvssVector,
    cweId: report.cweId,
    issueUrl: report.issueUrl,
    expectedResolutionOn: report.expectedResolutionOn,
    triagedAt: iso(report.triagedAt),
    resolvedAt: iso(report.resolvedAt),
    closedAt: iso(report.closedAt),
    disclosedAt: iso(report.disclosedAt),
    duplicateOf: report.duplicateOf ? (refById.get(report.duplicateOf) ?? null) : null,
    duplicateCandidates: report.duplicateCandidates.flatMap((id) => refById.get(id) ?? []),
    allowedTransitions: [...TRANSITIONS[report.status]],
    allowedSubStatuses: [...SUB_STATUSES[report.status]],
    attachments: attachments.map((file) => ({
      id: file.id,
      messageId: file.messageId,
      fileName: openAttachmentName(ctx.keyring, file.id, file.fileNameSealed),
      contentType: file.contentType,
      size: file.size,
      sha256: file.sha256,
      createdAt: file.createdAt.toISOString(),
    })),
    messages: await listMessages(ctx, q, report.id, 'team'),
    events: events.map((event) => ({
      id: event.id,
      type: event.type,
      actorUserId: event.actorUserId,
      details: event.details,
      occurredAt: event.occurredAt.toISOString(),
    })),
  };
}
