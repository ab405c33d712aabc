import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { toCsv } from '../../core/csv.ts';
import type { Actor } from '../../core/http/actor.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { openReportContent } from '../reports/reports.sealing.ts';
import { calendarOf } from '../reports/reports.service.ts';
import type { ReportRow } from '../reports/reports.store.ts';
import { filterOf, inboxRows } from './triage.read.ts';
import type { InboxQuery } from './triage.schemas.ts';
import { inboxConditions } from './triage.store.ts';
import { assigneesOf, slaView } from './triage.views.ts';

/** At most this many reports in one export: enough for any team's history, bounded for the server. */
export const MAX_REPORT_EXPORT_ROWS = 10_000;

export const REPORT_CSV_HEADER = [
  'number',
  'status',
  'sub_status',
  'severity',
  'cvss_score',
  'asset',
  'category',
  'out_of_scope',
  'channel',
  'locale',
  'assignee',
  'received_at',
  'response_due_at',
  'first_response_at',
  'sla',
  'fix_due_at',
  'resolved_at',
  'closed_at',
] as const;

export type ReportExportQuery = Omit<InboxQuery, 'limit' | 'cursor'>;

/**
 * The inbox, filtered as on screen, as CSV. Summary columns only: titles, contents and reporters are sealed
 * and stay out of a file that leaves the server (a title search opens titles to match, never to export).
 * Audited with the filter and the row count.
 */
export async function exportInboxCsv(
  ctx: AppContext,
  actor: Actor,
  query: ReportExportQuery,
): Promise<string> {
  const db = ctx.database.db;
  const now = new Date();
  const where = inboxConditions(filterOf(query, actor), now);
  let titlesOpened = 0;
  const titleOf = (row: ReportRow) => {
    titlesOpened += 1;
    return openReportContent(ctx.keyring, row.id, row.contentSealed).title;
  };
  const rows = await inboxRows(ctx, where, query.search, titleOf, {
    offset: 0,
    limit: MAX_REPORT_EXPORT_ROWS,
  });
  const program = await getPublishedProgram(ctx);
  const calendar = calendarOf(program.source);
  const assignees = await assigneesOf(db, rows);
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  const csv = toCsv([
    REPORT_CSV_HEADER,
    ...rows.map((row) => [
      row.number,
      row.status,
      row.subStatus,
      row.severity,
      row.cvssScore === null ? null : Number(row.cvssScore),
      row.asset,
      row.category,
      row.outOfScope ? 'yes' : 'no',
      row.channel,
      row.locale,
      row.assigneeId ? (assignees.get(row.assigneeId)?.email ?? row.assigneeId) : null,
      row.receivedAt.toISOString(),
      row.responseDueAt.toISOString(),
      iso(row.firstResponseAt),
      slaView(row, calendar, now).state,
      iso(row.fixDueAt),
      iso(row.resolvedAt),
      iso(row.closedAt),
    ]),
  ]);
  await recordAudit(db, actor, {
    action: 'disclosure.reports.exported',
    targetType: 'disclosure_report',
    details: { filter: query, rows: rows.length, ...(titlesOpened > 0 ? { titlesOpened } : {}) },
  });
  return csv;
}
