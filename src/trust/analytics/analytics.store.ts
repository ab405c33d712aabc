import { and, asc, count, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { trustDocuments, trustEvents, trustVisitors } from '../tables.ts';

/** The funnel the analytics count: who asked, was granted, looked, downloaded. */
export const COUNTED_TYPES = ['requested', 'granted', 'viewed', 'downloaded'] as const;
export type CountedType = (typeof COUNTED_TYPES)[number];

export type Range = { from: Date; to: Date };

const inRange = (range: Range) =>
  and(gte(trustEvents.occurredAt, range.from), lt(trustEvents.occurredAt, range.to));

export async function countByDocument(q: Queryable, range: Range) {
  return q
    .select({ documentId: trustEvents.documentId, type: trustEvents.type, n: count() })
    .from(trustEvents)
    .where(
      and(inRange(range), isNotNull(trustEvents.documentId), inArray(trustEvents.type, [...COUNTED_TYPES])),
    )
    .groupBy(trustEvents.documentId, trustEvents.type);
}

export async function countByCompany(q: Queryable, range: Range) {
  return q
    .select({ company: trustEvents.company, type: trustEvents.type, n: count() })
    .from(trustEvents)
    .where(and(inRange(range), isNotNull(trustEvents.company), inArray(trustEvents.type, [...COUNTED_TYPES])))
    .groupBy(trustEvents.company, trustEvents.type);
}

/** Counts per UTC day (YYYY-MM-DD) and type. */
export async function countByDay(q: Queryable, range: Range) {
  const day = sql<string>`to_char(${trustEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  return q
    .select({ day, type: trustEvents.type, n: count() })
    .from(trustEvents)
    .where(and(inRange(range), inArray(trustEvents.type, [...COUNTED_TYPES])))
    .groupBy(day, trustEvents.type);
}

export async function findDocumentNames(q: Queryable) {
  return q
    .select({ id: trustDocuments.id, slug: trustDocuments.slug, title: trustDocuments.title })
    .from(trustDocuments);
}

/** Every event in the range with its visitor and document, oldest first, at most `limit`. */
export async function findEventsWithNames(q: Queryable, range: Range, limit: number) {
  return q
    .select({
      occurredAt: trustEvents.occurredAt,
      type: trustEvents.type,
      company: trustEvents.company,
      visitorName: trustVisitors.name,
      visitorEmail: trustVisitors.email,
      documentSlug: trustDocuments.slug,
      downloadId: trustEvents.downloadId,
      locale: trustEvents.locale,
      ip: trustEvents.ip,
    })
    .from(trustEvents)
    .leftJoin(trustVisitors, eq(trustVisitors.id, trustEvents.visitorId))
    .leftJoin(trustDocuments, eq(trustDocuments.id, trustEvents.documentId))
    .where(inRange(range))
    .orderBy(asc(trustEvents.occurredAt), asc(trustEvents.id))
    .limit(limit);
}
