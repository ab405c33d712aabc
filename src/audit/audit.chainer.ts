import { asc, count, inArray } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { findHead, findRecordedHead, insertEntries, lockChain } from './audit.store.ts';
import { GENESIS_HASH, hashEntry, normalizeTimestamp } from './hash-chain.ts';
import { auditPending } from './tables.ts';

/** Entries chained per transaction: the lock is held for a few statements, whatever the load. */
export const CHAIN_BATCH_SIZE = 500;

type ChainPoint = { seq: number; hash: string };

/**
 * Moves committed pending entries into the hash chain, oldest first, under the chain's advisory
 * lock, in batches of CHAIN_BATCH_SIZE. Each batch is one short transaction: lock, read the head,
 * read the batch, insert the chained rows and the new head, delete the batch from audit_pending.
 * Entries whose transaction has not committed yet are not visible and wait for the next run.
 * Returns how many entries it chained.
 *
 * The entry follows the later of the recorded head (audit_head) and the newest row: if someone
 * removed the newest rows, the next entry leaves the gap in place for `verifyAuditChain` to report.
 */
export async function chainPendingAudit(q: Queryable, batchSize = CHAIN_BATCH_SIZE): Promise<number> {
  let total = 0;
  for (;;) {
    const chained = await q.transaction(async (tx) => {
      await lockChain(tx);
      const pending = await tx
        .select()
        .from(auditPending)
        .orderBy(asc(auditPending.pendingId))
        .limit(batchSize);
      if (pending.length === 0) return 0;
      let head = laterOf(await findRecordedHead(tx), await findHead(tx));
      const rows = pending.map(({ pendingId: _pendingId, ...entry }) => {
        const fields = {
          ...entry,
          seq: (head?.seq ?? 0) + 1,
          occurredAt: normalizeTimestamp(entry.occurredAt),
          prevHash: head?.hash ?? GENESIS_HASH,
        };
        const row = { ...fields, hash: hashEntry(fields) };
        head = { seq: row.seq, hash: row.hash };
        return row;
      });
      await insertEntries(tx, rows);
      await tx.delete(auditPending).where(
        inArray(
          auditPending.pendingId,
          pending.map((p) => p.pendingId),
        ),
      );
      return rows.length;
    });
    total += chained;
    if (chained < batchSize) return total;
  }
}

/** How many recorded entries wait to be chained (committed ones, as this reader sees them). */
export async function countPendingAudit(q: Queryable): Promise<number> {
  const [row] = await q.select({ n: count() }).from(auditPending);
  return Number(row?.n ?? 0);
}

function laterOf(recorded: ChainPoint | undefined, newest: ChainPoint | undefined): ChainPoint | undefined {
  if (!recorded) return newest;
  return newest && newest.seq > recorded.seq ? newest : recorded;
}

export type AuditChainer = { stop(): Promise<void> };

/**
 * The single in-process chainer: runs every `intervalMs`, one run at a time, and once more on stop
 * so entries recorded just before a clean shutdown are chained. With several processes on one
 * database each runs one; the advisory lock makes their batches take turns.
 */
export function startAuditChainer(
  q: Queryable,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): AuditChainer {
  const intervalMs = options.intervalMs ?? 200;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    running = running.then(() => chainPendingAudit(q)).catch((error: unknown) => options.onError?.(error));
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await run();
    },
  };
}
