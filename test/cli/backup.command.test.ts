import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/index.ts';
import { auditLog } from '../../src/audit/tables.ts';
import { findUserByEmail } from '../../src/identity/users.store.ts';
import { makeUser } from '../fixtures/identity.ts';
import {
  type Installation,
  makeInstallation,
  onPostgres,
  type Run,
  runCli,
  withInstallation,
} from '../helpers/cli.ts';

const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;
const SLOW = 240_000;

function createUser(installation: Installation, email: string): Promise<Run> {
  return runCli(installation, [
    'user',
    'create',
    '--email',
    email,
    '--name',
    'Backed Up',
    '--role',
    'employee',
  ]);
}

describe('attest backup and restore', () => {
  let installation: Installation;
  let scratch: string;
  beforeAll(async () => {
    installation = await makeInstallation();
    scratch = mkdtempSync(path.join(tmpdir(), 'attest-backup-files-'));
  });
  afterAll(async () => {
    await installation.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  // PGlite-specific: the round trip goes through PGlite's data-folder dump; PostgreSQL uses pg_dump/pg_restore.
  it.skipIf(onPostgres)(
    'backs up the embedded database and restores it over newer data with --force, keeping the old folder',
    { timeout: SLOW },
    async () => {
      expect((await createUser(installation, 'kept@example.test')).code).toBe(0);
      const file = path.join(scratch, 'attest.tar.gz');
      const backup = await runCli(installation, ['backup', '--out', file]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(
        /^Backup written to .+attest\.tar\.gz \([\d.]+ (KiB|MiB), embedded PGlite/,
      );
      expect(backup.stderr).toMatch(
        /encryption key is not in the backup: keep a copy of the ATTEST_SECRET_KEY value/,
      );
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(scratch)).toEqual(['attest.tar.gz']);

      expect((await createUser(installation, 'later@example.test')).code).toBe(0);
      const refused = await runCli(installation, ['restore', '--in', file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /already holds \d+ users, \d+ audit entries\. Pass --force to replace it/,
      );

      const restored = await runCli(installation, ['restore', '--in', file, '--force']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stderr).toMatch(/Audit chain: OK, \d+ entries\./);
      expect(readdirSync(installation.dataDir).filter((name) => name.startsWith('pglite.bak-'))).toHaveLength(
        1,
      );

      await withInstallation(installation, async (ctx) => {
        expect(await findUserByEmail(ctx.database.db, 'kept@example.test')).toBeDefined();
        expect(await findUserByEmail(ctx.database.db, 'later@example.test')).toBeUndefined();
        expect(await verifyAuditChain(ctx.database.db)).toMatchObject({ ok: true });
        const [restoredEntry] = await ctx.database.db
          .select()
          .from(auditLog)
          .where(eq(auditLog.action, 'system.backup.restored'));
        expect(restoredEntry).toMatchObject({ actorLabel: 'cli', details: { file: 'attest.tar.gz' } });
      });
    },
  );

  // PGlite-specific, as above.
  it.skipIf(onPostgres)('restores into a new data folder without --force', { timeout: SLOW }, async () => {
    const file = path.join(scratch, 'fresh.tar.gz');
    expect((await createUser(installation, 'moved@example.test')).code).toBe(0);
    // A sealed TOTP secret, so the key check after the restore has something to check.
    await withInstallation(installation, (ctx) => makeUser(ctx, { role: 'admin' }));
    expect((await runCli(installation, ['backup', '--out', file])).code).toBe(0);
    const elsewhere = await makeInstallation({
      env: { ATTEST_SECRET_KEY: installation.env.ATTEST_SECRET_KEY as string },
    });
    try {
      const restored = await runCli(elsewhere, ['restore', '--in', file]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stderr).not.toMatch(/Warning/);
      expect(existsSync(path.join(elsewhere.dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      await withInstallation(elsewhere, async (ctx) => {
        expect(await findUserByEmail(ctx.database.db, 'moved@example.test')).toBeDefined();
      });
    } finally {
      await elsewhere.remove();
    }
  });

  // PGlite-specific, as above.
  it.skipIf(onPostgres)(
    'warns when the restored data is sealed with a key this installation does not have',
    { timeout: SLOW },
    async () => {
      const file = path.join(scratch, 'other-key.tar.gz');
      await withInstallation(installation, (ctx) => makeUser(ctx, { role: 'security' }));
      expect((await runCli(installation, ['backup', '--out', file])).code).toBe(0);
      const elsewhere = await makeInstallation();
      try {
        const restored = await runCli(elsewhere, ['restore', '--in', file]);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stderr).toMatch(/Warning: data in this backup is encrypted with key id [0-9a-f]{8}/);
      } finally {
        await elsewhere.remove();
      }
    },
  );

  // PGlite-specific: with DATABASE_URL, restore stops before reading the file (see the pg_restore test).
  it.skipIf(onPostgres)(
    'refuses a file that is not a backup with exit code 2, leaving the database alone',
    async () => {
      const file = path.join(scratch, 'notes.txt');
      writeFileSync(file, 'not a backup');
      const run = await runCli(installation, ['restore', '--in', file, '--force']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^error: invalid --in: .+notes\.txt is not a backup made by `attest backup`/,
      );
      expect(readdirSync(installation.dataDir).filter((name) => name.startsWith('pglite.restore-'))).toEqual(
        [],
      );
    },
  );

  it('refuses --out in a folder that does not exist with exit code 2', async () => {
    const run = await runCli(installation, ['backup', '--out', path.join(scratch, 'missing', 'b.tar.gz')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: invalid --out: folder .+missing does not exist\n/);
  });

  // PostgreSQL-specific; also needs the pg_dump client, which the backup runs.
  it.skipIf(!onPostgres || !hasPgDump)(
    'backs up PostgreSQL with pg_dump in its custom format',
    { timeout: SLOW },
    async () => {
      expect((await createUser(installation, 'pg@example.test')).code).toBe(0);
      const file = path.join(scratch, 'attest.dump');
      const run = await runCli(installation, ['backup', '--out', file]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/PostgreSQL, pg_dump custom format/);
      expect(run.stderr).toMatch(/pg_restore/);
      expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    },
  );

  // PostgreSQL-specific: restoring a pg_dump file is pg_restore's job.
  it.skipIf(!onPostgres)('explains pg_restore instead of restoring when DATABASE_URL is set', async () => {
    const run = await runCli(installation, ['restore', '--in', path.join(scratch, 'attest.dump')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: restore loads backups of the embedded database only\. .*pg_restore/);
  });
});
