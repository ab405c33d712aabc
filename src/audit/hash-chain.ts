import { createHash } from 'node:crypto';

/** The hash of the chain before its first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainedFields = {
  seq: number;
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  prevHash: string;
};

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) over the entry's fields including the previous entry's hash. */
export function hashEntry(entry: ChainedFields): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

/**
 * Timestamps are hashed as ISO 8601 UTC with milliseconds (entries are written from a JS Date).
 * Accepts a Date or PostgreSQL's text form in any session time zone (`2025-01-02 03:04:05.678+01`,
 * `…+05:30`, `…+00`). Throws RangeError on text that is not a timestamp.
 */
export function normalizeTimestamp(value: string | Date): string {
  if (typeof value !== 'string') return value.toISOString();
  // PostgreSQL prints whole-hour offsets as `+01`; JavaScript's Date only parses `+01:00`.
  const iso = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(iso).toISOString();
}
