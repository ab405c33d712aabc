import { randomUUID } from 'node:crypto';
import { toCsv } from '../core/csv.ts';
import type { Queryable } from '../core/db/index.ts';
import { type Actor, describeActor } from '../core/http/actor.ts';
import { chainPendingAudit, countPendingAudit } from './audit.chainer.ts';
import {
  type AuditFilter,
  type AuditRow,
  findEntries,
  findEntriesAfter,
  findRecordedHead,
} from './audit.store.ts';
import { GENESIS_HASH, hashEntry, normalizeTimestamp } from './hash-chain.ts';
import { auditPending } from './tables.ts';

export type AuditEvent = {
  /** Past tense, `<domain>.<noun>.<verb>`: `identity.user.role-changed`. */
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/**
 * Records one entry. Pass the transaction that makes the change being recorded, so the entry
 * commits with it or not at all. This is one INSERT into audit_pending and takes no lock: the
 * chainer (audit.chainer.ts) links committed entries into the hash chain in small batches, so no
 * write of any domain waits on another's. `details` is stored as jsonb will give it back (a Date
 * becomes ISO text), so the hash computed later matches what is read.
 */
export async function recordAudit(q: Queryable, actor: Actor, event: AuditEvent): Promise<void> {
  await q.insert(auditPending).values({
    id: randomUUID(),
    occurredAt: normalizeTimestamp(new Date()),
    ...describeActor(actor),
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ? actor.userAgent.slice(0, 500) : null,
    details: asStoredJson(event.details ?? {}),
  });
}

/** What jsonb will give back: drops undefined, turns Dates into ISO text, fails here on a bigint. */
function asStoredJson(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
}

export type VerifyResult = {
  ok: boolean;
  checked: number;
  headHash: string | null;
  firstBrokenSeq: number | null;
  reason: string | null;
  /** Entries recorded but not chained when the walk ended (committed meanwhile); checked next time. */
  pending: number;
};

/**
 * Chains what is pending first (so everything committed before the call is covered), then walks
 * the chain in order up to the recorded head and reports the first entry that was altered,
 * removed or inserted. The head is read first, so entries appended while the walk runs are simply
 * not part of this check (no long transaction, no false alarm). Only tampering by someone who also
 * rewrites every later hash and the head goes unseen; that needs a copy of the head kept elsewhere.
 */
export async function verifyAuditChain(
  q: Queryable,
  options: { batchSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<VerifyResult> {
  await chainPendingAudit(q);
  const result = await walkChain(q, options);
  return { ...result, pending: await countPendingAudit(q) };
}

async function walkChain(
  q: Queryable,
  options: { batchSize?: number; onProgress?: (checked: number) => void },
): Promise<Omit<VerifyResult, 'pending'>> {
  const batchSize = options.batchSize ?? 1000;
  const head = await findRecordedHead(q);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, reason: string): Omit<VerifyResult, 'pending'> => ({
    ok: false,
    checked,
    headHash: null,
    firstBrokenSeq: seq,
    reason,
  });
  for (;;) {
    const rows = await findEntriesAfter(q, expectedSeq - 1, batchSize, head?.seq);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
      if (row.prevHash !== prevHash) {
        return broken(
          row.seq,
          `entry ${row.seq} does not follow entry ${row.seq - 1} (previous hash differs)`,
        );
      }
      if (hashEntry(toChainedFields(row)) !== row.hash) {
        return broken(row.seq, `entry ${row.seq} was altered (its content no longer matches its hash)`);
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    options.onProgress?.(checked);
  }
  const lastSeq = expectedSeq - 1;
  if (!head) {
    if (checked === 0) return { ok: true, checked, headHash: null, firstBrokenSeq: null, reason: null };
    // The very first entry may have been committed after the head was read: look once more.
    if (await findRecordedHead(q)) return walkChain(q, options);
    return broken(lastSeq, 'the chain head record is missing');
  }
  if (lastSeq < head.seq) {
    return broken(lastSeq + 1, `entry ${lastSeq + 1} is missing (the chain head records entry ${head.seq})`);
  }
  if (prevHash !== head.hash)
    return broken(head.seq, `entry ${head.seq} does not match the chain head record`);
  return { ok: true, checked, headHash: prevHash, firstBrokenSeq: null, reason: null };
}

function toChainedFields(row: AuditRow) {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: normalizeTimestamp(row.occurredAt),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details,
    prevHash: row.prevHash,
  };
}

/** Reads of the log chain what is pending first, so an action just taken shows at once. */
export async function listAuditEvents(q: Queryable, filter: AuditFilter) {
  await chainPendingAudit(q);
  const rows = await findEntries(q, { ...filter, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit).map((row) => {
    const { prevHash: _prevHash, ...view } = toChainedFields(row);
    return view;
  });
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? String(last.seq) : null };
}

/** At most this many entries in one export, newest first (narrow the dates for older ones). */
export const MAX_AUDIT_EXPORT_ROWS = 50_000;

export const AUDIT_CSV_HEADER = [
  'seq',
  'occurred_at',
  'actor_type',
  'actor_id',
  'actor_label',
  'action',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'details',
] as const;

/** The log, filtered as on screen, as CSV (details as JSON); the export itself is audited. */
export async function exportAuditCsv(
  q: Queryable,
  actor: Actor,
  filter: Omit<AuditFilter, 'limit' | 'beforeSeq'>,
): Promise<string> {
  await chainPendingAudit(q);
  const rows = await findEntries(q, { ...filter, limit: MAX_AUDIT_EXPORT_ROWS });
  const csv = toCsv([
    AUDIT_CSV_HEADER,
    ...rows
      .map(toChainedFields)
      .map((row) => [
        row.seq,
        row.occurredAt,
        row.actorType,
        row.actorId,
        row.actorLabel,
        row.action,
        row.targetType,
        row.targetId,
        row.ip,
        row.userAgent,
        JSON.stringify(row.details ?? {}),
      ]),
  ]);
  await recordAudit(q, actor, { action: 'audit.log.exported', details: { filter, rows: rows.length } });
  return csv;
}
