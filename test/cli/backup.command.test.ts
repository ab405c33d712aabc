import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { verifyAuditChain } from '../../src/audit/index.ts';
import { auditLog } from '../../src/audit/tables.ts';
import { systemActor } from '../../src/core/http/actor.ts';
import { findUserByEmail } from '../../src/identity/users.store.ts';
import { uploadDocumentFile } from '../../src/trust/documents/documents.files.ts';
import { publishSite } from '../../src/trust/publication/publication.service.ts';
import { makeUser } from '../fixtures/identity.ts';
import { makeDocument, makePdf, pdfPageTexts } from '../fixtures/trust.ts';
import {
  type Installation,
  makeInstallation,
  onPostgres,
  type Run,
  runCli,
  withInstallation,
} from '../helpers/cli.ts';

const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;

/** The manifest of a backup archive, read with tar as an operator would (`tar -xzf … attest-backup.json`). */
async function readManifest(file: string) {
  const folder = mkdtempSync(path.join(tmpdir(), 'attest-manifest-'));
  try {
    await tar.extract({ file, cwd: folder, filter: (entry) => entry === 'attest-backup.json' });
    return JSON.parse(readFileSync(path.join(folder, 'attest-backup.json'), 'utf8'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
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
    'backs up PostgreSQL with pg_dump in its custom format, inside the one backup archive',
    { timeout: SLOW },
    async () => {
      expect((await createUser(installation, 'pg@example.test')).code).toBe(0);
      const file = path.join(scratch, 'attest-pg.tar.gz');
      const run = await runCli(installation, ['backup', '--out', file]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/PostgreSQL \(pg_dump custom format\)/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const manifest = await readManifest(file);
      expect(manifest.database).toMatchObject({ method: 'pg_dump', path: 'database/postgres.dump' });
    },
  );
});

/**
 * Issue 7, item 13: one backup holds the database and every file of the data folder, restore checks it
 * before replacing anything, and a restore on a new host serves the documents (it answered 500).
 */
describe.skipIf(onPostgres && !hasPgDump)('one backup holds the database and the data folder', () => {
  let source: Installation;
  let scratch: string;
  let file: string;
  let slug: string;
  let pdf: Buffer;
  const outboxName = '2026-01-02T03-04-05-678Z-0123456789abcdef.eml';

  beforeAll(async () => {
    source = await makeInstallation();
    scratch = mkdtempSync(path.join(tmpdir(), 'attest-backup-round-'));
    file = path.join(scratch, 'attest.tar.gz');
    pdf = await makePdf({ text: 'restored report' });
    await withInstallation(source, async (ctx) => {
      const doc = await makeDocument(ctx, { accessLevel: 'public' });
      slug = doc.slug;
      await uploadDocumentFile(ctx, systemActor('test'), doc.id, {
        fileName: 'report.pdf',
        declaredType: 'application/pdf',
        bytes: pdf,
        locale: null,
      });
      await publishSite(ctx, systemActor('test'));
    });
    mkdirSync(path.join(source.dataDir, 'outbox'), { recursive: true });
    writeFileSync(path.join(source.dataDir, 'outbox', outboxName), 'Subject: kept\r\n\r\nkept\r\n');
  }, SLOW);
  afterAll(async () => {
    await source?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const downloadFrom = (installation: Installation) =>
    withInstallation(installation, async (ctx) => {
      const app = await buildApp(ctx);
      try {
        return await app.inject({ url: `/en/documents/${slug}/download` });
      } finally {
        await app.close();
      }
    });

  it('lists every data-folder file in its manifest, with sizes and checksums, and no key', {
    timeout: SLOW,
  }, async () => {
    const backup = await runCli(source, ['backup', '--out', file]);
    expect(backup.code, backup.stderr).toBe(0);
    const manifest = await readManifest(file);
    const paths = manifest.files.map((entry: { path: string }) => entry.path);
    expect(paths).toContain(`data/outbox/${outboxName}`);
    // Trust documents' files live in the database now (src/core/files): the dump holds them, not the folder.
    expect(paths.filter((entry: string) => entry.startsWith('data/trust-files/'))).toHaveLength(0);
    expect(paths.some((entry: string) => entry.includes('secret.key') || entry.includes('pglite/'))).toBe(
      false,
    );
    for (const entry of manifest.files) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('restores into a fresh data folder on another host, and the document downloads', {
    timeout: SLOW,
  }, async () => {
    const fresh = await makeInstallation({
      env: { ATTEST_SECRET_KEY: source.env.ATTEST_SECRET_KEY as string },
    });
    try {
      const restored = await runCli(fresh, ['restore', '--in', file]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/the database and 1 data-folder file, all checksums verified/);
      const res = await downloadFrom(fresh);
      expect(res.statusCode).toBe(200);
      expect((await pdfPageTexts(res.rawPayload))[0]).toContain('restored report');
      expect(readFileSync(path.join(fresh.dataDir, 'outbox', outboxName), 'utf8')).toContain('kept');
      expect(readdirSync(fresh.dataDir).filter((name) => name.startsWith('.restore-'))).toEqual([]);
    } finally {
      await fresh.remove();
    }
  });

  it('refuses a backup whose files do not match the manifest, replacing nothing', {
    timeout: SLOW,
  }, async () => {
    const unpacked = mkdtempSync(path.join(tmpdir(), 'attest-tamper-'));
    const tampered = path.join(scratch, 'tampered.tar.gz');
    try {
      await tar.extract({ file, cwd: unpacked });
      const outboxFile = path.join(unpacked, 'data', 'outbox', outboxName);
      writeFileSync(outboxFile, 'Subject: forged\r\n\r\nforged\r\n');
      await tar.create({ gzip: true, file: tampered, cwd: unpacked }, readdirSync(unpacked));
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
    const fresh = await makeInstallation({
      env: { ATTEST_SECRET_KEY: source.env.ATTEST_SECRET_KEY as string },
    });
    try {
      const run = await runCli(fresh, ['restore', '--in', tampered]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /failed its integrity check, nothing was restored: data\/outbox\/.+ does not match its checksum/,
      );
      expect(readdirSync(fresh.dataDir).filter((name) => name !== 'secret.key')).toEqual([]);
    } finally {
      await fresh.remove();
    }
  });

  // PGlite-specific: earlier releases wrote PGlite's data-folder dump alone, and those files must still restore.
  it.skipIf(onPostgres)(
    'still restores a database-only backup from an earlier release, warning that data-folder files are not in it',
    { timeout: SLOW },
    async () => {
      const legacy = path.join(scratch, 'legacy.tar.gz');
      await withInstallation(source, async (ctx) => {
        const dump = await ctx.database.pglite?.dumpDataDir('gzip');
        if (!dump) throw new Error('not PGlite');
        writeFileSync(legacy, new Uint8Array(await dump.arrayBuffer()));
      });
      const fresh = await makeInstallation({
        env: { ATTEST_SECRET_KEY: source.env.ATTEST_SECRET_KEY as string },
      });
      try {
        const run = await runCli(fresh, ['restore', '--in', legacy]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toMatch(/earlier release and holds the database only/);
        // The document's file is stored in the database, so even a database-only backup serves it.
        const download = await downloadFrom(fresh);
        expect(download.statusCode).toBe(200);
        expect((await pdfPageTexts(download.rawPayload))[0]).toContain('restored report');
      } finally {
        await fresh.remove();
      }
    },
  );
});
