import { describe, expect, it } from 'vitest';
import { canonicalJson, hashEntry, normalizeTimestamp } from '../../src/audit/hash-chain.ts';

describe('normalizeTimestamp', () => {
  it('reads PostgreSQL text in UTC', () => {
    expect(normalizeTimestamp('2025-11-21 14:25:00.123+00')).toBe('2025-11-21T14:25:00.123Z');
  });

  it('reads a whole-hour offset as PostgreSQL prints it (+01, without minutes)', () => {
    expect(normalizeTimestamp('2025-11-21 15:25:00.123+01')).toBe('2025-11-21T14:25:00.123Z');
    expect(normalizeTimestamp('2025-11-21 09:25:00.123-05')).toBe('2025-11-21T14:25:00.123Z');
  });

  it('reads an offset with minutes', () => {
    expect(normalizeTimestamp('2025-11-21 19:55:00.123+05:30')).toBe('2025-11-21T14:25:00.123Z');
  });

  it('gives a Date as ISO 8601 UTC with milliseconds', () => {
    expect(normalizeTimestamp(new Date(Date.UTC(2025, 10, 21, 14, 25, 0, 123)))).toBe(
      '2025-11-21T14:25:00.123Z',
    );
  });

  it('throws on text that is not a timestamp', () => {
    expect(() => normalizeTimestamp('yesterday')).toThrow(RangeError);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: null }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":null,"f":1}]},"b":1}',
    );
  });
});

describe('hashEntry', () => {
  const entry = {
    seq: 1,
    id: '00000000-0000-4000-8000-000000000001',
    occurredAt: '2025-11-21T14:25:00.123Z',
    actorType: 'system',
    actorId: null,
    actorLabel: 'cli',
    action: 'identity.user.created',
    targetType: 'user',
    targetId: '00000000-0000-4000-8000-000000000002',
    ip: 'local',
    userAgent: null,
    details: { email: 'a@example.com' },
    prevHash: '0'.repeat(64),
  };

  it('is the SHA-256 of the canonical JSON, the same whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as typeof entry;
    expect(hashEntry(entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEntry(reordered)).toBe(hashEntry(entry));
  });

  it('changes when any field changes, the previous hash included', () => {
    const base = hashEntry(entry);
    expect(hashEntry({ ...entry, details: { email: 'b@example.com' } })).not.toBe(base);
    expect(hashEntry({ ...entry, prevHash: '1'.repeat(64) })).not.toBe(base);
    expect(hashEntry({ ...entry, occurredAt: '2025-11-21T14:25:00.124Z' })).not.toBe(base);
  });
});
