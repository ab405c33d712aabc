import { createHash } from 'node:crypto';
import { canonicalJson } from '../../audit/index.ts';

/** The hash of the ledger before its first item. */
export const EVIDENCE_GENESIS_HASH = '0'.repeat(64);

/** Every column of an evidence item but its own hash: what the hash covers. */
export type ChainedEvidence = {
  seq: number;
  id: string;
  controlId: string;
  requirementIndex: number;
  kind: string;
  title: string;
  url: string | null;
  note: string | null;
  contentSha256: string;
  outcome: string;
  coveredFrom: string;
  coveredTo: string;
  collectedAt: string;
  expiresAt: string;
  addedAt: string;
  addedByType: string;
  addedById: string | null;
  addedByLabel: string | null;
  supersedes: string | null;
  prevHash: string;
};

/** SHA-256 (hex) over the item's canonical JSON, which includes the previous item's hash. */
export function hashEvidence(item: ChainedEvidence): string {
  return createHash('sha256').update(canonicalJson(item)).digest('hex');
}

export function chainedFields<T extends ChainedEvidence>(row: T): ChainedEvidence {
  return {
    seq: row.seq,
    id: row.id,
    controlId: row.controlId,
    requirementIndex: row.requirementIndex,
    kind: row.kind,
    title: row.title,
    url: row.url,
    note: row.note,
    contentSha256: row.contentSha256,
    outcome: row.outcome,
    coveredFrom: row.coveredFrom,
    coveredTo: row.coveredTo,
    collectedAt: row.collectedAt,
    expiresAt: row.expiresAt,
    addedAt: row.addedAt,
    addedByType: row.addedByType,
    addedById: row.addedById,
    addedByLabel: row.addedByLabel,
    supersedes: row.supersedes,
    prevHash: row.prevHash,
  };
}
