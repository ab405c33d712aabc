import type { SQL } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Actor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { findActiveUsersByRole } from '../../identity/index.ts';
import { intakeCategories } from '../intake/intake.service.ts';
import type { ProgramSource } from '../program/program.schema.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { TRIAGE_ROLES } from '../reports/notify-team.ts';
import { openAttachmentContent, openAttachmentName, openReportContent } from '../reports/reports.sealing.ts';
import { calendarOf } from '../reports/reports.service.ts';
import { findAttachment, findReportById, type ReportRow } from '../reports/reports.store.ts';
import { triageProblems } from './triage.problems.ts';
import type { InboxQuery, ReportDetailView, ReportSummaryView } from './triage.schemas.ts';
import { findInboxPage, findSearchPool, type InboxFilter, inboxConditions } from './triage.store.ts';
import { assigneesOf, detailView, summaryView } from './triage.views.ts';

/**
 * Reads of confidential report data. Titles, contents, reporters and attachments are sealed; opening
 * them is audited: one `disclosure.report.listed` entry per inbox page that shows titles, one
 * `disclosure.report.viewed` per report opened, one `disclosure.attachment.downloaded` per file.
 */

/** How many recent reports a title search opens at most: titles are sealed, so it cannot be SQL. */
export const TITLE_SEARCH_POOL = 500;
/** No user matches this: `assignee=me` for an API token, which is nobody. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function filterOf(query: Omit<InboxQuery, 'limit'>, actor: Actor): InboxFilter {
  let assigneeId: string | null | undefined;
  if (query.assignee === 'me') assigneeId = actor.type === 'user' ? actor.user.id : NOBODY;
  else if (query.assignee === 'none') assigneeId = null;
  else assigneeId = query.assignee;
  return {
    status: query.status,
    subStatus: query.subStatus,
    state: query.state,
    asset: query.asset,
    severity: query.severity,
    assigneeId,
    overdue: query.overdue,
    outOfScope: query.outOfScope,
  };
}

/** GET /reports: newest first, filtered; `search` by number, asset or (a bounded set of) titles. */
export async function listInbox(
  ctx: AppContext,
  actor: Actor,
  query: InboxQuery,
): Promise<{ items: ReportSummaryView[]; nextCursor: string | null }> {
  const db = ctx.database.db;
  const now = new Date();
  const offset = query.cursor ? Number(query.cursor) : 0;
  const where = inboxConditions(filterOf(query, actor), now);
  const titles = new Map<string, string>();
  const titleOf = (row: ReportRow) => {
    let title = titles.get(row.id);
    if (title === undefined) {
      title = openReportContent(ctx.keyring, row.id, row.contentSealed).title;
      titles.set(row.id, title);
    }
    return title;
  };

  const rows = await inboxRows(ctx, where, query.search, titleOf, { offset, limit: query.limit + 1 });
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const program = await getPublishedProgram(ctx);
  const assignees = await assigneesOf(db, page);
  const context = { calendar: calendarOf(program.source), now, assignees };
  const items = page.map((row) => summaryView(ctx, row, { ...context, title: titleOf(row) }));
  if (titles.size > 0) {
    await recordAudit(db, actor, {
      action: 'disclosure.report.listed',
      targetType: 'disclosure_report',
      details: {
        numbers: items.map((item) => item.number),
        titlesOpened: titles.size,
        ...(query.search ? { search: true } : {}),
      },
    });
  }
  return { items, nextCursor: hasMore ? String(offset + query.limit) : null };
}

/**
 * The inbox's rows for one filter, newest first: `search` by number or asset in SQL, or by title among the
 * most recent `TITLE_SEARCH_POOL` (opening titles through `titleOf`, which the caller audits).
 */
export async function inboxRows(
  ctx: AppContext,
  where: SQL | undefined,
  search: string | undefined,
  titleOf: (row: ReportRow) => string,
  page: { offset: number; limit: number },
): Promise<ReportRow[]> {
  const db = ctx.database.db;
  if (!search) return findInboxPage(db, where, { limit: page.limit - 1, offset: page.offset });
  const numberMatch = /^#?(\d{1,9})$/.exec(search);
  const text = search.replace(/^#/, '');
  const pool = await findSearchPool(
    db,
    where,
    { number: numberMatch ? Number(numberMatch[1]) : undefined, text },
    TITLE_SEARCH_POOL,
  );
  const needle = fold(search);
  const direct = new Set(pool.direct.map((row) => row.id));
  const byTitle = pool.recent.filter((row) => !direct.has(row.id) && fold(titleOf(row)).includes(needle));
  const matches = [...pool.direct, ...byTitle].sort(
    (a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.number - a.number,
  );
  return matches.slice(page.offset, page.offset + page.limit);
}

/** The category's name in each language, as the report form showed it; the key when it is not known. */
export function categoryLabels(
  source: ProgramSource,
  key: string | null,
): ReportDetailView['categoryLabels'] {
  if (!key) return null;
  const labelIn = (locale: Locale) =>
    intakeCategories(source, locale).find((category) => category.key === key)?.label ?? key;
  return { en: labelIn('en'), es: labelIn('es'), fr: labelIn('fr') };
}

/** GET /reports/{id}: the whole report, opened, audited in the same transaction as the read. */
export async function getReportDetail(
  ctx: AppContext,
  actor: Actor,
  reportId: string,
): Promise<ReportDetailView> {
  return ctx.database.db.transaction(async (tx) => {
    const report = await findReportById(tx, reportId);
    if (!report) throw triageProblems.reportNotFound(reportId);
    const program = await getPublishedProgram(ctx, tx);
    const view = await detailView(ctx, tx, report, calendarOf(program.source));
    view.categoryLabels = categoryLabels(program.source, report.category);
    await recordAudit(tx, actor, {
      action: 'disclosure.report.viewed',
      targetType: 'disclosure_report',
      targetId: report.id,
      details: { number: report.number },
    });
    return view;
  });
}

/** GET /reports/{id}/attachments/{attachmentId}: the file's bytes, opened, the download audited. */
export async function downloadAttachment(
  ctx: AppContext,
  actor: Actor,
  reportId: string,
  attachmentId: string,
) {
  return ctx.database.db.transaction(async (tx) => {
    const report = await findReportById(tx, reportId);
    if (!report) throw triageProblems.reportNotFound(reportId);
    const file = await findAttachment(tx, reportId, attachmentId);
    if (!file) throw triageProblems.attachmentNotFound(attachmentId);
    const bytes = openAttachmentContent(ctx.keyring, file.id, file.contentSealed);
    const fileName = openAttachmentName(ctx.keyring, file.id, file.fileNameSealed);
    await recordAudit(tx, actor, {
      action: 'disclosure.attachment.downloaded',
      targetType: 'disclosure_report',
      targetId: report.id,
      details: { number: report.number, attachmentId: file.id, sha256: file.sha256, size: file.size },
    });
    return { fileName, contentType: file.contentType, bytes };
  });
}

/** GET /assignees: who a report can be assigned to (active owners, admins and security users). */
export async function listAssignees(ctx: AppContext) {
  const users = await findActiveUsersByRole(ctx.database.db, TRIAGE_ROLES);
  return users.map((user) => ({ id: user.id, name: user.name, email: user.email }));
}
