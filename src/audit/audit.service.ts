import { randomUUID } from 'node:crypto';
import { toCsv } from '../core/csv.ts';
import type { Queryable } from '../core/db/index.ts';
import { type Actor, describeActor } from '../core/http/actor.ts';
import {
  type AuditFilter,
  type AuditRow,
  findEntries,
  findEntriesAfter,
  findHead,
  findRecordedHead,
  insertEntry,
  lockChain,
} from './audit.store.ts';
import { GENESIS_HASH, hashEntry, normalizeTimestamp } from './hash-chain.ts';

export type AuditEvent = {
  /** Past tense, `<domain>.<noun>.<verb>`: `identity.user.role-changed`. */
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/**
 * Appends one entry to the hash chain. Pass the transaction that makes the change being recorded,
 * so the entry commits with it or not at all. Appends are serialised by an advisory lock held
 * until that transaction ends.
 *
 * The entry follows the later of the recorded head (audit_head) and the newest row: if someone
 * removed the newest rows, the next entry leaves the gap in place for `verifyAuditChain` to report
 * instead of papering over it. `details` is hashed as it will be stored (a Date becomes ISO text).
 */
export async function recordAudit(q: Queryable, actor: Actor, event: AuditEvent): Promise<void> {
  await q.transaction(async (tx) => {
    await lockChain(tx);
    const head = laterOf(await findRecordedHead(tx), await findHead(tx));
    const fields = {
      seq: (head?.seq ?? 0) + 1,
      id: randomUUID(),
      occurredAt: normalizeTimestamp(new Date()),
      ...describeActor(actor),
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ? actor.userAgent.slice(0, 500) : null,
      details: asStoredJson(event.details ?? {}),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    await insertEntry(tx, { ...fields, hash: hashEntry(fields) });
  });
}

type ChainPoint = { seq: number; hash: string };

function laterOf(recorded: ChainPoint | undefined, newest: ChainPoint | undefined): ChainPoint | undefined {
  if (!recorded) return newest;
  return newest && newest.seq > recorded.seq ? newest : recorded;
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
};

/**
 * Walks the chain in order up to the recorded head and reports the first entry that was altered,
 * removed or inserted. The head is read first, so entries appended while the walk runs are simply
 * not part of this check (no long transaction, no false alarm). Only tampering by someone who also
 * rewrites every later hash and the head goes unseen; that needs a copy of the head kept elsewhere.
 */
export async function verifyAuditChain(
  q: Queryable,
  options: { batchSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 1000;
  const head = await findRecordedHead(q);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, reason: string): VerifyResult => ({
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
    if (await findRecordedHead(q)) return verifyAuditChain(q, options);
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

export async function listAuditEvents(q: Queryable, filter: AuditFilter) {
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
