import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../core/db/index.ts';
import { complianceEvidence, complianceEvidenceHead } from '../tables.ts';

export type EvidenceRow = typeof complianceEvidence.$inferSelect;

/** Serialises appends to the ledger until the transaction ends. */
export async function lockLedger(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('attest.compliance.evidence'))`);
}

export async function findLedgerHead(q: Queryable) {
  const [head] = await q.select().from(complianceEvidenceHead).where(eq(complianceEvidenceHead.id, 1));
  return head ? { seq: head.seq, hash: head.hash } : undefined;
}

export async function findNewestItem(q: Queryable) {
  const [row] = await q
    .select({ seq: complianceEvidence.seq, hash: complianceEvidence.hash })
    .from(complianceEvidence)
    .orderBy(desc(complianceEvidence.seq))
    .limit(1);
  return row;
}

export async function insertItem(tx: Tx, row: EvidenceRow): Promise<void> {
  await tx.insert(complianceEvidence).values(row);
  await tx
    .insert(complianceEvidenceHead)
    .values({ id: 1, seq: row.seq, hash: row.hash })
    .onConflictDoUpdate({ target: complianceEvidenceHead.id, set: { seq: row.seq, hash: row.hash } });
}

export async function findItem(q: Queryable, id: string) {
  const [row] = await q.select().from(complianceEvidence).where(eq(complianceEvidence.id, id));
  return row;
}

export async function isSuperseded(q: Queryable, id: string): Promise<boolean> {
  const rows = await q
    .select({ seq: complianceEvidence.seq })
    .from(complianceEvidence)
    .where(eq(complianceEvidence.supersedes, id))
    .limit(1);
  return rows.length > 0;
}

/** Items after `afterSeq` in order, up to `uptoSeq` when given. */
export async function findItemsAfter(q: Queryable, afterSeq: number, limit: number, uptoSeq?: number) {
  return q
    .select()
    .from(complianceEvidence)
    .where(
      uptoSeq === undefined
        ? gt(complianceEvidence.seq, afterSeq)
        : and(gt(complianceEvidence.seq, afterSeq), lte(complianceEvidence.seq, uptoSeq)),
    )
    .orderBy(asc(complianceEvidence.seq))
    .limit(limit);
}

/** A control's items, newest first, with whether a later item supersedes each. */
export async function findControlItems(q: Queryable, controlId: string, limit: number) {
  return q
    .select({
      item: complianceEvidence,
      superseded: sql<boolean>`exists (select 1 from compliance_evidence s where s.supersedes = ${complianceEvidence.id})`,
    })
    .from(complianceEvidence)
    .where(eq(complianceEvidence.controlId, controlId))
    .orderBy(desc(complianceEvidence.collectedAt), desc(complianceEvidence.seq))
    .limit(limit);
}
