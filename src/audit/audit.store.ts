import { and, desc, eq, gt, gte, ilike, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { auditHead, auditLog } from './tables.ts';

export type AuditRow = typeof auditLog.$inferSelect;

/** Arbitrary constant naming the lock that serialises appends, so the chain never forks. */
const CHAIN_LOCK_ID = 7_351_224_002;

export async function lockChain(tx: Queryable): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_ID})`);
}

export async function findHead(tx: Queryable): Promise<{ seq: number; hash: string } | undefined> {
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return last;
}

export async function findRecordedHead(tx: Queryable): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await tx.select({ seq: auditHead.seq, hash: auditHead.hash }).from(auditHead).limit(1);
  return head;
}

/** Appends chained rows (consecutive seqs, oldest first) and records the last as the head. */
export async function insertEntries(tx: Queryable, rows: (typeof auditLog.$inferInsert)[]): Promise<void> {
  const row = rows.at(-1);
  if (!row) return;
  await tx.insert(auditLog).values(rows);
  await tx
    .insert(auditHead)
    .values({ id: 1, seq: row.seq, hash: row.hash })
    .onConflictDoUpdate({ target: auditHead.id, set: { seq: row.seq, hash: row.hash } });
}

/** Entries after `afterSeq`, oldest first, up to `untilSeq` (inclusive) when given. */
export async function findEntriesAfter(
  q: Queryable,
  afterSeq: number,
  limit: number,
  untilSeq?: number,
): Promise<AuditRow[]> {
  return q
    .select()
    .from(auditLog)
    .where(and(gt(auditLog.seq, afterSeq), untilSeq === undefined ? undefined : lte(auditLog.seq, untilSeq)))
    .orderBy(auditLog.seq)
    .limit(limit);
}

export type AuditFilter = {
  action?: string;
  actor?: string;
  targetId?: string;
  from?: string;
  to?: string;
  beforeSeq?: number;
  limit: number;
};

/** Newest first; `beforeSeq` is the cursor. */
export async function findEntries(q: Queryable, filter: AuditFilter): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.action ? ilike(auditLog.action, `%${escapeLike(filter.action)}%`) : undefined,
    filter.actor
      ? or(ilike(auditLog.actorLabel, `%${escapeLike(filter.actor)}%`), eq(auditLog.actorId, filter.actor))
      : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.from ? gte(auditLog.occurredAt, filter.from) : undefined,
    filter.to ? lte(auditLog.occurredAt, filter.to) : undefined,
    filter.beforeSeq ? lt(auditLog.seq, filter.beforeSeq) : undefined,
  ];
  return q
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.seq))
    .limit(filter.limit);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every action the log holds, once each and sorted: the choices of the action filter. */
export async function findDistinctActions(q: Queryable): Promise<string[]> {
  const rows = await q.selectDistinct({ action: auditLog.action }).from(auditLog);
  // Sorted here, by code point: the database's collation would order dots and hyphens by locale.
  return rows.map((row) => row.action).sort();
}
