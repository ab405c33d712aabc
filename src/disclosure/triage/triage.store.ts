import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  notExists,
  notInArray,
  or,
  type SQL,
} from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import type { ReportRow } from '../reports/reports.store.ts';
import {
  disclosureCannedResponses,
  disclosureReports,
  disclosureResearcherLinks,
  disclosureSlaNotices,
  type ReportStatus,
} from '../tables.ts';
import { OPEN_STATUSES } from './triage.states.ts';

/** Drizzle queries of triage: the inbox, row locks, canned responses, SLA notices, metrics rows. */

const r = disclosureReports;

export type InboxFilter = {
  status?: ReportStatus;
  subStatus?: string;
  state?: 'open' | 'closed';
  asset?: string;
  severity?: string;
  /** A user id, or null for unassigned. */
  assigneeId?: string | null;
  overdue?: boolean;
  outOfScope?: boolean;
  /** A report number, or a text matched against the asset (SQL) — titles are matched by the caller. */
  number?: number;
  assetSearch?: string;
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Late: open, and no first response past its deadline, or a fix target that has passed. */
export function overdueCondition(now: Date): SQL {
  return and(
    inArray(r.status, [...OPEN_STATUSES]),
    or(and(isNull(r.firstResponseAt), lt(r.responseDueAt, now)), lt(r.fixDueAt, now)),
  ) as SQL;
}

export function inboxConditions(filter: InboxFilter, now: Date): SQL | undefined {
  const open = [...OPEN_STATUSES];
  return and(
    filter.status ? eq(r.status, filter.status) : undefined,
    filter.subStatus ? eq(r.subStatus, filter.subStatus) : undefined,
    // A closed report the researcher wrote on again counts as open work until the team answers.
    filter.state === 'open' ? or(inArray(r.status, open), isNotNull(r.replyAfterCloseAt)) : undefined,
    filter.state === 'closed' ? and(notInArray(r.status, open), isNull(r.replyAfterCloseAt)) : undefined,
    filter.asset ? eq(r.asset, filter.asset) : undefined,
    filter.severity === 'unrated' ? isNull(r.severity) : undefined,
    filter.severity && filter.severity !== 'unrated' ? eq(r.severity, filter.severity) : undefined,
    filter.assigneeId === null ? isNull(r.assigneeId) : undefined,
    filter.assigneeId ? eq(r.assigneeId, filter.assigneeId) : undefined,
    filter.overdue === true ? overdueCondition(now) : undefined,
    filter.overdue === false ? (notOverdue(now) as SQL) : undefined,
    filter.outOfScope !== undefined ? eq(r.outOfScope, filter.outOfScope) : undefined,
  );
}

function notOverdue(now: Date): SQL | undefined {
  return or(
    notInArray(r.status, [...OPEN_STATUSES]),
    and(
      or(isNotNull(r.firstResponseAt), gte(r.responseDueAt, now)),
      or(isNull(r.fixDueAt), gte(r.fixDueAt, now)),
    ),
  );
}

/** A page of the inbox, newest first; one extra row tells whether another page follows. */
export async function findInboxPage(
  q: Queryable,
  where: SQL | undefined,
  page: { limit: number; offset: number },
): Promise<ReportRow[]> {
  return q
    .select()
    .from(r)
    .where(where)
    .orderBy(desc(r.receivedAt), desc(r.number))
    .limit(page.limit + 1)
    .offset(page.offset);
}

/** Rows a text search looks at: matching the number or asset in SQL, or among the most recent `pool`. */
export async function findSearchPool(
  q: Queryable,
  where: SQL | undefined,
  search: { number?: number; text: string },
  pool: number,
): Promise<{ direct: ReportRow[]; recent: ReportRow[] }> {
  const direct = await q
    .select()
    .from(r)
    .where(
      and(
        where,
        or(
          search.number !== undefined ? eq(r.number, search.number) : undefined,
          ilike(r.asset, `%${escapeLike(search.text)}%`),
        ),
      ),
    )
    .orderBy(desc(r.receivedAt), desc(r.number))
    .limit(pool);
  const recent = await q
    .select()
    .from(r)
    .where(where)
    .orderBy(desc(r.receivedAt), desc(r.number))
    .limit(pool);
  return { direct, recent };
}

/** The report, locked until the transaction ends: two changes to one report take turns. */
export async function lockReport(q: Queryable, id: string): Promise<ReportRow | undefined> {
  const [row] = await q.select().from(r).where(eq(r.id, id)).for('update');
  return row;
}

export async function findReportByNumber(q: Queryable, number: number): Promise<ReportRow | undefined> {
  const [row] = await q.select().from(r).where(eq(r.number, number));
  return row;
}

export async function findReportRefs(q: Queryable, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return q
    .select({ id: r.id, number: r.number, status: r.status })
    .from(r)
    .where(inArray(r.id, [...ids]));
}

/** Other reports sent from the same address (by its hash). */
export async function findOtherReportsByEmailHash(q: Queryable, emailHash: string, exceptId: string) {
  return q
    .select({ id: r.id, number: r.number })
    .from(r)
    .where(and(eq(r.reporterEmailHash, emailHash), notInArray(r.id, [exceptId])))
    .orderBy(asc(r.number));
}

export async function deleteResearcherLinks(q: Queryable, emailHash: string): Promise<void> {
  await q.delete(disclosureResearcherLinks).where(eq(disclosureResearcherLinks.emailHash, emailHash));
}

// Canned responses.

export type CannedResponseRow = typeof disclosureCannedResponses.$inferSelect;

export async function listCannedResponses(q: Queryable, locale?: string): Promise<CannedResponseRow[]> {
  return q
    .select()
    .from(disclosureCannedResponses)
    .where(locale ? eq(disclosureCannedResponses.locale, locale) : undefined)
    .orderBy(asc(disclosureCannedResponses.locale), asc(disclosureCannedResponses.title));
}

export async function insertCannedResponse(
  q: Queryable,
  row: { locale: string; title: string; body: string },
): Promise<CannedResponseRow> {
  const [inserted] = await q.insert(disclosureCannedResponses).values(row).returning();
  if (!inserted) throw new Error('canned response insert returned nothing');
  return inserted;
}

export async function updateCannedResponse(
  q: Queryable,
  id: string,
  changes: Partial<{ locale: string; title: string; body: string }>,
): Promise<CannedResponseRow | undefined> {
  const [row] = await q
    .update(disclosureCannedResponses)
    .set(changes)
    .where(eq(disclosureCannedResponses.id, id))
    .returning();
  return row;
}

export async function deleteCannedResponse(q: Queryable, id: string): Promise<CannedResponseRow | undefined> {
  const [row] = await q
    .delete(disclosureCannedResponses)
    .where(eq(disclosureCannedResponses.id, id))
    .returning();
  return row;
}

// SLA notices.

/** Claims the one notice of this kind for the report; false when it was already sent. */
export async function claimSlaNotice(q: Queryable, reportId: string, kind: string): Promise<boolean> {
  const rows = await q
    .insert(disclosureSlaNotices)
    .values({ reportId, kind })
    .onConflictDoNothing()
    .returning({ reportId: disclosureSlaNotices.reportId });
  return rows.length > 0;
}

/** No notice of this kind went out for the report yet (keeps each pass from re-reading settled reports). */
function notNoticed(q: Queryable, kind: string): SQL {
  const notices = disclosureSlaNotices;
  return notExists(
    q
      .select({ one: notices.kind })
      .from(notices)
      .where(and(eq(notices.reportId, r.id), eq(notices.kind, kind))),
  );
}

/** Open reports still waiting for their first response whose deadline is before `horizon`. */
export async function findAwaitingFirstResponse(q: Queryable, horizon: Date): Promise<ReportRow[]> {
  return q
    .select()
    .from(r)
    .where(
      and(
        inArray(r.status, [...OPEN_STATUSES]),
        isNull(r.firstResponseAt),
        lte(r.responseDueAt, horizon),
        notNoticed(q, 'breached'),
      ),
    )
    .orderBy(asc(r.responseDueAt));
}

/** Reports being worked on whose fix target has passed. */
export async function findFixOverdue(q: Queryable, now: Date): Promise<ReportRow[]> {
  return q
    .select()
    .from(r)
    .where(
      and(
        inArray(r.status, ['triaged', 'accepted', 'fixing']),
        lt(r.fixDueAt, now),
        notNoticed(q, 'fix-overdue'),
      ),
    )
    .orderBy(asc(r.fixDueAt));
}

/** Reports not yet disclosed nor closed whose disclosure deadline is before `horizon`. */
export async function findDisclosureApproaching(q: Queryable, horizon: Date): Promise<ReportRow[]> {
  return q
    .select()
    .from(r)
    .where(
      and(
        inArray(r.status, [...OPEN_STATUSES, 'resolved']),
        lte(r.disclosureDueAt, horizon),
        notNoticed(q, 'disclosure-approaching'),
      ),
    )
    .orderBy(asc(r.disclosureDueAt));
}

// Metrics.

export async function findMetricRows(q: Queryable, from: Date, until: Date) {
  return q
    .select({
      status: r.status,
      receivedAt: r.receivedAt,
      responseDueAt: r.responseDueAt,
      firstResponseAt: r.firstResponseAt,
      triagedAt: r.triagedAt,
      resolvedAt: r.resolvedAt,
      closedAt: r.closedAt,
    })
    .from(r)
    .where(and(gte(r.receivedAt, from), lt(r.receivedAt, until)));
}

export async function countOpenByStatus(q: Queryable) {
  return q
    .select({ status: r.status, subStatus: r.subStatus, n: count() })
    .from(r)
    .where(inArray(r.status, [...OPEN_STATUSES, 'resolved']))
    .groupBy(r.status, r.subStatus);
}
