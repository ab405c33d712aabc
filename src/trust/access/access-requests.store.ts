import { and, count, desc, eq, gt, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { trustAccessRequests, trustVisitors } from '../tables.ts';

export type AccessRequestRow = typeof trustAccessRequests.$inferSelect;
export type AccessRequestStatus = 'unconfirmed' | 'pending' | 'approved' | 'denied';

export async function insertAccessRequest(
  q: Queryable,
  row: { visitorId: string; reason: string; documentIds: string[]; level: string | null },
): Promise<AccessRequestRow> {
  const [created] = await q
    .insert(trustAccessRequests)
    .values({ ...row, status: 'unconfirmed' })
    .returning();
  if (!created) throw new Error('access request insert returned nothing');
  return created;
}

export async function findAccessRequest(q: Queryable, id: string): Promise<AccessRequestRow | undefined> {
  const [row] = await q.select().from(trustAccessRequests).where(eq(trustAccessRequests.id, id));
  return row;
}

/**
 * Moves a request from one of `from` to a new status in one conditional UPDATE, so two admins (or an
 * admin and a replayed link) can't both decide it. Undefined when it was not in one of `from`.
 */
export async function transitionAccessRequest(
  q: Queryable,
  id: string,
  from: AccessRequestStatus[],
  set: {
    status: AccessRequestStatus;
    decidedAt?: Date;
    decidedBy?: string | null;
    decisionNote?: string | null;
  },
): Promise<AccessRequestRow | undefined> {
  const [row] = await q
    .update(trustAccessRequests)
    .set(set)
    .where(and(eq(trustAccessRequests.id, id), inArray(trustAccessRequests.status, from)))
    .returning();
  return row;
}

/** Requests this visitor made since `since`: the per-address rate limit. */
export async function countRequestsSince(q: Queryable, visitorId: string, since: Date): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(trustAccessRequests)
    .where(and(eq(trustAccessRequests.visitorId, visitorId), gt(trustAccessRequests.createdAt, since)));
  return row?.n ?? 0;
}

export type AccessRequestFilter = { status?: AccessRequestStatus; search?: string };

/** Requests with their visitor, newest first; `limit + 1` rows so the caller can tell whether more follow. */
export async function findAccessRequests(
  q: Queryable,
  filter: AccessRequestFilter,
  page: { limit: number; offset: number },
) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(trustAccessRequests.status, filter.status));
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(trustVisitors.email, pattern),
        ilike(trustVisitors.name, pattern),
        ilike(trustVisitors.company, pattern),
        ilike(trustAccessRequests.reason, pattern),
      ) as SQL,
    );
  }
  return q
    .select({ request: trustAccessRequests, visitor: trustVisitors })
    .from(trustAccessRequests)
    .innerJoin(trustVisitors, eq(trustVisitors.id, trustAccessRequests.visitorId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(trustAccessRequests.createdAt), desc(trustAccessRequests.id))
    .limit(page.limit + 1)
    .offset(page.offset);
}
