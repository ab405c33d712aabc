import { and, desc, eq, inArray, isNotNull, notInArray } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import {
  disclosureAttachments,
  disclosureReportEvents,
  disclosureReports,
  type ReportStatus,
} from '../tables.ts';

export type ReportRow = typeof disclosureReports.$inferSelect;
export type NewReportRow = typeof disclosureReports.$inferInsert;
export type AttachmentRow = typeof disclosureAttachments.$inferSelect;

/** States after which a report no longer competes as a duplicate target. */
export const CLOSED_STATUSES: readonly ReportStatus[] = [
  'duplicate',
  'out_of_scope',
  'informative',
  'not_applicable',
  'spam',
  'wont_fix',
];

export async function insertReport(q: Queryable, row: NewReportRow): Promise<ReportRow> {
  const [inserted] = await q.insert(disclosureReports).values(row).returning();
  if (!inserted) throw new Error('report insert returned nothing');
  return inserted;
}

export async function findReportById(q: Queryable, id: string): Promise<ReportRow | undefined> {
  const [row] = await q.select().from(disclosureReports).where(eq(disclosureReports.id, id));
  return row;
}

export async function findReportByFollowHash(q: Queryable, hash: string): Promise<ReportRow | undefined> {
  const [row] = await q.select().from(disclosureReports).where(eq(disclosureReports.followTokenHash, hash));
  return row;
}

export async function findReportBySource(
  q: Queryable,
  channel: ReportRow['channel'],
  sourceRef: string,
): Promise<ReportRow | undefined> {
  const [row] = await q
    .select()
    .from(disclosureReports)
    .where(and(eq(disclosureReports.channel, channel), eq(disclosureReports.sourceRef, sourceRef)));
  return row;
}

/** Recent open reports on the same asset: the pool duplicate candidates are picked from. */
export async function findOpenReportsOnAsset(q: Queryable, asset: string, limit = 50) {
  return q
    .select({ id: disclosureReports.id, contentSealed: disclosureReports.contentSealed })
    .from(disclosureReports)
    .where(
      and(
        eq(disclosureReports.asset, asset),
        notInArray(disclosureReports.status, [...CLOSED_STATUSES]),
        isNotNull(disclosureReports.contentSealed),
      ),
    )
    .orderBy(desc(disclosureReports.receivedAt))
    .limit(limit);
}

export async function findReportsByEmailHash(q: Queryable, emailHash: string): Promise<ReportRow[]> {
  return q
    .select()
    .from(disclosureReports)
    .where(eq(disclosureReports.reporterEmailHash, emailHash))
    .orderBy(desc(disclosureReports.receivedAt));
}

export async function updateReport(
  q: Queryable,
  id: string,
  changes: Partial<NewReportRow>,
): Promise<ReportRow | undefined> {
  const [row] = await q
    .update(disclosureReports)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(disclosureReports.id, id))
    .returning();
  return row;
}

export async function insertAttachments(
  q: Queryable,
  rows: (typeof disclosureAttachments.$inferInsert)[],
): Promise<void> {
  if (rows.length > 0) await q.insert(disclosureAttachments).values(rows);
}

export async function findAttachments(q: Queryable, reportId: string): Promise<AttachmentRow[]> {
  return q
    .select()
    .from(disclosureAttachments)
    .where(eq(disclosureAttachments.reportId, reportId))
    .orderBy(disclosureAttachments.createdAt);
}

export async function findAttachment(
  q: Queryable,
  reportId: string,
  attachmentId: string,
): Promise<AttachmentRow | undefined> {
  const [row] = await q
    .select()
    .from(disclosureAttachments)
    .where(and(eq(disclosureAttachments.reportId, reportId), eq(disclosureAttachments.id, attachmentId)));
  return row;
}

export async function insertReportEvent(
  q: Queryable,
  event: { reportId: string; type: string; actorUserId?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await q.insert(disclosureReportEvents).values({
    reportId: event.reportId,
    type: event.type,
    actorUserId: event.actorUserId ?? null,
    details: event.details ?? {},
  });
}

export async function findReportEvents(q: Queryable, reportId: string) {
  return q
    .select()
    .from(disclosureReportEvents)
    .where(eq(disclosureReportEvents.reportId, reportId))
    .orderBy(disclosureReportEvents.occurredAt);
}

export async function findReportsByIds(q: Queryable, ids: string[]): Promise<ReportRow[]> {
  if (ids.length === 0) return [];
  return q.select().from(disclosureReports).where(inArray(disclosureReports.id, ids));
}
