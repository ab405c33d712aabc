import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/audit/hash-chain.ts';
import {
  chainPendingAudit,
  countPendingAudit,
  recordAudit,
  verifyAuditChain,
} from '../../src/audit/index.ts';
import { auditHead, auditLog } from '../../src/audit/tables.ts';
import { type Database, migrateDatabase, openDatabase } from '../../src/core/db/index.ts';
import { systemActor } from '../../src/core/http/actor.ts';
import { createThrowawayDatabase } from '../helpers/database.ts';

type Fresh = { database: Database; close(): Promise<void> };

/** A migrated, empty database for this file (each test starts from an empty log: see `emptyLog`). */
async function freshDatabase(): Promise<Fresh> {
  const throwaway = process.env.DATABASE_URL
    ? await createThrowawayDatabase(process.env.DATABASE_URL)
    : undefined;
  const database = await openDatabase({ databaseUrl: throwaway?.url, dataDir: 'memory://' });
  await migrateDatabase(database);
  return {
    database,
    close: async () => {
      await database.close();
      await throwaway?.drop();
    },
  };
}

const actor = systemActor('test');

async function record(database: Database, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await recordAudit(database.db, actor, { action: 'test.entry.recorded', details: { i } });
  }
  await chainPendingAudit(database.db);
}

async function entries(database: Database) {
  await chainPendingAudit(database.db);
  return database.db.select().from(auditLog).orderBy(auditLog.seq);
}

/** What an attacker with superuser rights can do: skip the append-only triggers for one statement. */
async function tamper(database: Database, statement: string): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(statement));
  });
}

/** The driver's own error (drizzle wraps it in a "Failed query" error). */
async function refusal(database: Database, statement: string): Promise<{ message: string; code?: string }> {
  try {
    await database.executeSql(statement);
  } catch (error) {
    return error as { message: string; code?: string };
  }
  throw new Error(`expected the database to refuse: ${statement}`);
}

/** Tampering in one test must not leak into the next: each starts from an empty chain. */
async function emptyLog(database: Database): Promise<void> {
  await tamper(database, 'truncate audit_log, audit_head, audit_pending');
}

describe('audit hash chain', () => {
  let fresh: Fresh;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  beforeEach(() => emptyLog(fresh.database));
  afterAll(() => fresh.close());

  it('links each entry to the hash of the one before it, starting from the genesis hash', async () => {
    await record(fresh.database, 3);
    const rows = await entries(fresh.database);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows[2]?.prevHash).toBe(rows[1]?.hash);
    const [head] = await fresh.database.db.select().from(auditHead);
    expect(head).toMatchObject({ seq: 3, hash: rows[2]?.hash });
  });

  it('gives 20 concurrent appends, each in its own transaction, consecutive seqs and a valid chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fresh.database.db.transaction((tx) =>
          recordAudit(tx, actor, { action: 'test.concurrent.recorded', details: { i } }),
        ),
      ),
    );
    const rows = await entries(fresh.database);
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(rows.map((row) => (row.details as { i: number }).i)).size).toBe(20);
    expect(await verifyAuditChain(fresh.database.db)).toMatchObject({ ok: true, checked: 20 });
  });

  it('has the database refuse UPDATE on audit_log', async () => {
    await record(fresh.database, 1);
    const error = await refusal(fresh.database, `update audit_log set action = 'test.entry.rewritten'`);
    expect(error.message).toMatch(/audit_log is append-only: UPDATE refused/);
    expect(error.code).toBe('42501');
  });

  it('has the database refuse DELETE on audit_log', async () => {
    await record(fresh.database, 1);
    const error = await refusal(fresh.database, 'delete from audit_log');
    expect(error.message).toMatch(/audit_log is append-only: DELETE refused/);
  });

  it('has the database refuse TRUNCATE on audit_log', async () => {
    await record(fresh.database, 1);
    const error = await refusal(fresh.database, 'truncate audit_log');
    expect(error.message).toMatch(/audit_log is append-only: TRUNCATE refused/);
    expect(await entries(fresh.database)).toHaveLength(1);
  });

  it('verifies an intact chain and returns the newest hash as its head', async () => {
    await record(fresh.database, 3);
    const rows = await entries(fresh.database);
    expect(await verifyAuditChain(fresh.database.db)).toEqual({
      ok: true,
      checked: 3,
      headHash: rows[2]?.hash,
      firstBrokenSeq: null,
      reason: null,
      pending: 0,
    });
  });

  it('records without the chain lock: a write commits while another transaction holds the lock', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // PGlite has a single connection, so two open transactions at once only exist on PostgreSQL.
    if (!process.env.DATABASE_URL) {
      await recordAudit(fresh.database.db, actor, { action: 'test.entry.unlocked' });
      expect(await entries(fresh.database)).toHaveLength(1);
      return;
    }
    const holder = fresh.database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7351224002)`);
      locked();
      await released;
    });
    await lockTaken;
    await fresh.database.db.transaction(async (tx) => {
      await recordAudit(tx, actor, { action: 'test.entry.unlocked' });
    });
    release();
    await holder;
    expect((await entries(fresh.database)).map((row) => row.action)).toEqual(['test.entry.unlocked']);
  });

  it('reports entries committed but not yet chained as pending, and chains them in commit order', async () => {
    await recordAudit(fresh.database.db, actor, { action: 'test.entry.first' });
    await recordAudit(fresh.database.db, actor, { action: 'test.entry.second' });
    expect(await countPendingAudit(fresh.database.db)).toBe(2);
    expect(await chainPendingAudit(fresh.database.db, 1)).toBe(2);
    expect(await countPendingAudit(fresh.database.db)).toBe(0);
    expect((await entries(fresh.database)).map((row) => [row.seq, row.action])).toEqual([
      [1, 'test.entry.first'],
      [2, 'test.entry.second'],
    ]);
  });

  it('drops a pending entry whose transaction rolls back, with the change it recorded', async () => {
    await expect(
      fresh.database.db.transaction(async (tx) => {
        await recordAudit(tx, actor, { action: 'test.entry.rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await entries(fresh.database)).toEqual([]);
  });

  it('has the database refuse UPDATE and TRUNCATE on entries waiting to be chained', async () => {
    await recordAudit(fresh.database.db, actor, { action: 'test.entry.waiting' });
    expect((await refusal(fresh.database, "update audit_pending set action = 'x'")).message).toMatch(
      /append-only/,
    );
    expect((await refusal(fresh.database, 'truncate audit_pending')).message).toMatch(/append-only/);
  });

  it('verifies an empty log as intact, with no head', async () => {
    expect(await verifyAuditChain(fresh.database.db)).toMatchObject({ ok: true, checked: 0, headHash: null });
  });

  it('names the entry whose details were altered behind the triggers', async () => {
    await record(fresh.database, 3);
    await tamper(fresh.database, `update audit_log set details = '{"i": 99}' where seq = 2`);
    const result = await verifyAuditChain(fresh.database.db);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 2, headHash: null });
    expect(result.reason).toMatch(/entry 2 was altered/);
  });

  it('names a middle entry that was deleted', async () => {
    await record(fresh.database, 3);
    await tamper(fresh.database, 'delete from audit_log where seq = 2');
    const result = await verifyAuditChain(fresh.database.db);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    expect(result.reason).toMatch(/entry 2 is missing/);
  });

  it('reports the newest entry deleted while audit_head still records it', async () => {
    await record(fresh.database, 3);
    await tamper(fresh.database, 'delete from audit_log where seq = 3');
    const result = await verifyAuditChain(fresh.database.db);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    expect(result.reason).toMatch(/entry 3 is missing/);
  });

  it('still reports a deleted newest entry after the next append, instead of chaining over the gap', async () => {
    await record(fresh.database, 3);
    await tamper(fresh.database, 'delete from audit_log where seq = 3');
    await record(fresh.database, 1);
    const result = await verifyAuditChain(fresh.database.db);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('checks the entries that existed when it started and leaves ones appended meanwhile for next time', async () => {
    await record(fresh.database, 4);
    let appended: Promise<void> | undefined;
    const result = await verifyAuditChain(fresh.database.db, {
      batchSize: 2,
      onProgress: () => {
        appended ??= recordAudit(fresh.database.db, actor, { action: 'test.entry.recorded-meanwhile' });
      },
    });
    expect(result).toMatchObject({ ok: true, checked: 4 });
    await appended;
    expect(await entries(fresh.database)).toHaveLength(5);
    expect(await verifyAuditChain(fresh.database.db)).toMatchObject({ ok: true, checked: 5 });
  });

  it('verifies details holding a Date, hashed as the ISO text jsonb stores', async () => {
    await recordAudit(fresh.database.db, actor, {
      action: 'test.entry.recorded',
      details: { at: new Date(), gone: undefined },
    });
    expect(await verifyAuditChain(fresh.database.db)).toMatchObject({ ok: true, checked: 1 });
  });

  it('verifies entries whose timestamps PostgreSQL prints with a +01 offset', async () => {
    await record(fresh.database, 2);
    const database = fresh.database;
    if (database.driver === 'pglite') {
      // PGlite is one connection: the setting holds for the verification below.
      await database.executeSql(`set time zone 'Europe/Paris'`);
      try {
        const shown = await database.executeSql('select occurred_at::text as at from audit_log limit 1');
        expect((shown.rows[0] as { at: string }).at).toMatch(/\+0[12]$/);
        expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 2 });
      } finally {
        await database.executeSql('reset time zone');
      }
      return;
    }
    // A second pool whose every connection runs in Paris time.
    const url = new URL(database.connectionString as string);
    url.searchParams.set('options', '-c TimeZone=Europe/Paris');
    const paris = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://' });
    try {
      const shown = await paris.executeSql('select occurred_at::text as at from audit_log limit 1');
      expect((shown.rows[0] as { at: string }).at).toMatch(/\+0[12]$/);
      expect(await verifyAuditChain(paris.db)).toMatchObject({ ok: true, checked: 2 });
    } finally {
      await paris.close();
    }
  });
});
