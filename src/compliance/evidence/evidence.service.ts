import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import { sha256Hex } from '../../core/crypto/index.ts';
import type { Db, Queryable } from '../../core/db/index.ts';
import { type Actor, describeActor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import { refreshControlStatuses } from '../controls/status.store.ts';
import { complianceControls } from '../tables.ts';
import { chainedFields, EVIDENCE_GENESIS_HASH, hashEvidence } from './evidence.chain.ts';
import {
  type EvidenceRow,
  findItem,
  findItemsAfter,
  findLedgerHead,
  findNewestItem,
  insertItem,
  isSuperseded,
  lockLedger,
} from './evidence.store.ts';

export type NewEvidence = {
  requirementIndex: number;
  kind: 'link' | 'note';
  title: string;
  url?: string | undefined;
  note?: string | undefined;
  outcome: 'satisfies' | 'fails';
  /** Calendar dates, YYYY-MM-DD. */
  coveredFrom: string;
  coveredTo: string;
  collectedAt: Date;
  /** Default: collected at + the required evidence's freshness. */
  expiresAt?: Date | undefined;
  supersedes?: string | undefined;
};

const DAY_MS = 86_400_000;
const field = (pointer: string, detail: string) => problems.validation([{ in: 'body', pointer, detail }]);

/**
 * Appends one item to the evidence ledger for a control, re-derives the control's status and audits it, in
 * one transaction. A correction names the item it `supersedes` (same control, not already superseded): the
 * ledger never changes a row.
 */
export async function addEvidence(
  db: Db,
  actor: Actor,
  controlId: string,
  input: NewEvidence,
  now = new Date(),
): Promise<EvidenceRow> {
  return db.transaction(async (tx) => {
    const [control] = await tx.select().from(complianceControls).where(eq(complianceControls.id, controlId));
    if (!control || control.retiredAt) throw problems.notFound(`Control ${controlId}`);
    const required = control.evidence[input.requirementIndex];
    if (!required)
      throw field('/requirementIndex', `this control requires ${control.evidence.length} kinds of evidence`);
    if (input.kind === 'link' && !input.url) throw field('/url', 'a link needs its URL');
    if (input.kind === 'note' && !input.note) throw field('/note', 'a note needs its text');
    if (input.coveredFrom > input.coveredTo)
      throw field('/coveredTo', 'the covered period ends before it starts');
    if (input.collectedAt.getTime() > now.getTime() + 5 * 60_000)
      throw field('/collectedAt', 'evidence cannot be collected in the future');
    const expiresAt =
      input.expiresAt ?? new Date(input.collectedAt.getTime() + required.freshnessDays * DAY_MS);
    if (expiresAt <= input.collectedAt)
      throw field('/expiresAt', 'evidence must expire after it was collected');
    if (input.supersedes) {
      const previous = await findItem(tx, input.supersedes);
      if (!previous || previous.controlId !== controlId)
        throw field('/supersedes', 'no evidence item of this control has that id');
      if (await isSuperseded(tx, previous.id)) throw field('/supersedes', 'that item was already superseded');
    }

    await lockLedger(tx);
    const recorded = await findLedgerHead(tx);
    const newest = await findNewestItem(tx);
    // Follow the later of the head and the newest row, so a removed tail stays visible to verify.
    const head = !recorded ? newest : newest && newest.seq > recorded.seq ? newest : recorded;
    const content = input.kind === 'link' ? (input.url ?? '') : (input.note ?? '');
    const fields = {
      seq: (head?.seq ?? 0) + 1,
      id: randomUUID(),
      controlId,
      requirementIndex: input.requirementIndex,
      kind: input.kind,
      title: input.title,
      url: input.kind === 'link' ? (input.url ?? null) : null,
      note: input.kind === 'note' ? (input.note ?? null) : null,
      contentSha256: sha256Hex(content),
      outcome: input.outcome,
      coveredFrom: input.coveredFrom,
      coveredTo: input.coveredTo,
      collectedAt: input.collectedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      addedAt: now.toISOString(),
      ...(({ actorType, actorId, actorLabel }) => ({
        addedByType: actorType,
        addedById: actorId,
        addedByLabel: actorLabel,
      }))(describeActor(actor)),
      supersedes: input.supersedes ?? null,
      prevHash: head?.hash ?? EVIDENCE_GENESIS_HASH,
    };
    const row = { ...fields, hash: hashEvidence(fields) };
    await insertItem(tx, row);
    await refreshControlStatuses(tx, { now, cause: 'evidence', controlIds: [controlId] });
    await recordAudit(tx, actor, {
      action: input.supersedes ? 'compliance.evidence.superseded' : 'compliance.evidence.added',
      targetType: 'compliance_control',
      targetId: controlId,
      details: {
        evidenceId: row.id,
        seq: row.seq,
        kind: row.kind,
        requirementIndex: row.requirementIndex,
        outcome: row.outcome,
        contentSha256: row.contentSha256,
        expiresAt: row.expiresAt,
        ...(input.supersedes ? { supersedes: input.supersedes } : {}),
      },
    });
    return row;
  });
}

export type LedgerVerifyResult = {
  ok: boolean;
  checked: number;
  headHash: string | null;
  /** The first altered or missing item: its sequence number, and its id when the row is there. */
  firstBrokenSeq: number | null;
  firstBrokenId: string | null;
  reason: string | null;
};

/** Walks the ledger up to its recorded head and reports the first item altered, removed or inserted. */
export async function verifyEvidenceLedger(q: Queryable, batchSize = 1000): Promise<LedgerVerifyResult> {
  const head = await findLedgerHead(q);
  let expectedSeq = 1;
  let prevHash = EVIDENCE_GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, id: string | null, reason: string): LedgerVerifyResult => ({
    ok: false,
    checked,
    headHash: null,
    firstBrokenSeq: seq,
    firstBrokenId: id,
    reason,
  });
  for (;;) {
    const rows = await findItemsAfter(q, expectedSeq - 1, batchSize, head?.seq);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq)
        return broken(expectedSeq, null, `evidence item ${expectedSeq} is missing`);
      if (row.prevHash !== prevHash)
        return broken(
          row.seq,
          row.id,
          `evidence item ${row.seq} (${row.id}) does not follow item ${row.seq - 1}`,
        );
      if (hashEvidence(chainedFields(row)) !== row.hash)
        return broken(row.seq, row.id, `evidence item ${row.seq} (${row.id}) was altered`);
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  const lastSeq = expectedSeq - 1;
  if (!head) {
    if (checked === 0)
      return { ok: true, checked, headHash: null, firstBrokenSeq: null, firstBrokenId: null, reason: null };
    return broken(lastSeq, null, 'the evidence ledger head record is missing');
  }
  if (lastSeq < head.seq)
    return broken(
      lastSeq + 1,
      null,
      `evidence item ${lastSeq + 1} is missing (the head records item ${head.seq})`,
    );
  if (prevHash !== head.hash)
    return broken(head.seq, null, `evidence item ${head.seq} does not match the head record`);
  return { ok: true, checked, headHash: prevHash, firstBrokenSeq: null, firstBrokenId: null, reason: null };
}
