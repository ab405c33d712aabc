import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { auditLog } from '../../src/audit/tables.ts';
import { sha256Hex } from '../../src/core/crypto/index.ts';
import { openDatabase } from '../../src/core/db/index.ts';
import { completePasswordReset } from '../../src/identity/password-reset.service.ts';
import { verifyPassword } from '../../src/identity/passwords.ts';
import { apiTokens, passwordResets } from '../../src/identity/tables.ts';
import { findUserByEmail } from '../../src/identity/users.store.ts';
import { makeUser } from '../fixtures/identity.ts';
import { type Installation, makeInstallation, onPostgres, runCli, withInstallation } from '../helpers/cli.ts';

const SLOW = 180_000;

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

describe('attest CLI', () => {
  let installation: Installation;
  beforeAll(async () => {
    installation = await makeInstallation();
  });
  afterAll(() => installation.remove());

  it('lists every command in --help', async () => {
    const run = await runCli(installation, ['--help']);
    expect(run.code).toBe(0);
    for (const command of [
      'serve',
      'migrate',
      'user create',
      'user reset-mfa',
      'token create',
      'audit verify',
      'backup',
      'restore',
    ]) {
      expect(run.stdout).toContain(`  ${command} `);
    }
  });

  it('creates a user with a one-time link to choose a password, audited as the CLI', {
    timeout: SLOW,
  }, async () => {
    const run = await runCli(installation, [
      'user',
      'create',
      '--email',
      'Alice@Example.test',
      '--name',
      'Alice',
      '--role',
      'admin',
    ]);
    expect(run.code).toBe(0);
    const match = /^http:\/\/localhost:3000\/app\/reset-password\?token=([A-Za-z0-9_-]{43})\n$/.exec(
      run.stdout,
    );
    expect(match, run.stdout + run.stderr).not.toBeNull();
    const token = match?.[1] as string;
    expect(run.stderr).toMatch(/Created user alice@example\.test \(admin/);
    expect(run.stderr).toMatch(/authenticator app/);

    await withInstallation(installation, async (ctx) => {
      const user = await findUserByEmail(ctx.database.db, 'alice@example.test');
      expect(user).toMatchObject({ name: 'Alice', role: 'admin', status: 'active' });
      const [reset] = await ctx.database.db
        .select()
        .from(passwordResets)
        .where(eq(passwordResets.tokenHash, sha256Hex(token)));
      expect(reset?.userId).toBe(user?.id);
      const [entry] = await ctx.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'identity.user.created'), eq(auditLog.targetId, user?.id as string)));
      expect(entry).toMatchObject({
        actorType: 'system',
        actorLabel: 'cli',
        details: { email: 'alice@example.test', role: 'admin', password: 'set-password-link' },
      });
      // The link works: its owner chooses the password.
      await completePasswordReset(
        ctx,
        { token, password: 'a brand new passphrase' },
        { ip: '127.0.0.1', userAgent: null },
      );
      const updated = await findUserByEmail(ctx.database.db, 'alice@example.test');
      expect(await verifyPassword(updated?.passwordHash, 'a brand new passphrase')).toBe(true);
    });
  });

  it('sets the password read from stdin with --password-stdin, and prints no link', {
    timeout: SLOW,
  }, async () => {
    const run = await runCli(
      installation,
      [
        'user',
        'create',
        '--email',
        'bob@example.test',
        '--name',
        'Bob',
        '--role',
        'employee',
        '--password-stdin',
      ],
      {
        stdin: 'correct horse battery staple\n',
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    await withInstallation(installation, async (ctx) => {
      const user = await findUserByEmail(ctx.database.db, 'bob@example.test');
      expect(await verifyPassword(user?.passwordHash, 'correct horse battery staple')).toBe(true);
      const resets = await ctx.database.db
        .select()
        .from(passwordResets)
        .where(eq(passwordResets.userId, user?.id as string));
      expect(resets).toEqual([]);
    });
  });

  it('refuses a second user with the same e-mail, exit code 1', { timeout: SLOW }, async () => {
    const first = await runCli(installation, [
      'user',
      'create',
      '--email',
      'carol@example.test',
      '--name',
      'Carol',
      '--role',
      'employee',
    ]);
    expect(first.code).toBe(0);
    const second = await runCli(installation, [
      'user',
      'create',
      '--email',
      'carol@example.test',
      '--name',
      'Carol',
      '--role',
      'employee',
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe('error: A user with e-mail carol@example.test already exists.\n');
  });

  it('prints only the token on stdout, and the token authenticates API calls', {
    timeout: SLOW,
  }, async () => {
    const run = await runCli(installation, [
      'token',
      'create',
      '--name',
      'ci pipeline',
      '--role',
      'auditor',
      '--expires-days',
      '30',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^attest_[A-Za-z0-9_-]{43}\n$/);
    expect(run.stderr).toMatch(/role auditor/);
    const token = run.stdout.trim();

    await withInstallation(installation, async (ctx) => {
      const [row] = await ctx.database.db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.tokenHash, sha256Hex(token)));
      expect(row).toMatchObject({ name: 'ci pipeline', role: 'auditor', createdByLabel: 'cli' });
      const days = ((row?.expiresAt.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
      const app = await buildApp(ctx);
      try {
        const res = await app.inject({
          method: 'GET',
          url: '/api/v1/identity/users',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.statusCode).toBe(200);
      } finally {
        await app.close();
      }
    });
  });

  it('removes the second factors of a user found by e-mail', { timeout: SLOW }, async () => {
    const email = `dave-${Date.now()}@example.test`;
    await withInstallation(installation, async (ctx) => {
      await makeUser(ctx, { role: 'security', email });
      expect((await findUserByEmail(ctx.database.db, email))?.totpEnabledAt).not.toBeNull();
    });
    const run = await runCli(installation, ['user', 'reset-mfa', '--email', email]);
    expect(run.code).toBe(0);
    await withInstallation(installation, async (ctx) => {
      const user = await findUserByEmail(ctx.database.db, email);
      expect(user?.totpSecret).toBeNull();
      expect(user?.totpEnabledAt).toBeNull();
      const [entry] = await ctx.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'identity.mfa.reset'), eq(auditLog.targetId, user?.id as string)));
      expect(entry).toMatchObject({ actorType: 'system', actorLabel: 'cli' });
    });
  });

  it('answers reset-mfa for an unknown e-mail with exit code 1', { timeout: SLOW }, async () => {
    const run = await runCli(installation, ['user', 'reset-mfa', '--email', 'nobody@example.test']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: no user has the e-mail nobody@example.test\n');
  });

  it.each([
    [
      ['user', 'create', '--email', 'x@example.test', '--role', 'admin'],
      /^error: required option '--name <name>' not specified\n/,
    ],
    [
      ['user', 'create', '--email', 'x@example.test', '--name', 'X', '--role', 'boss'],
      /^error: invalid --role "boss": /,
    ],
    [
      ['user', 'create', '--email', 'not-an-email', '--name', 'X', '--role', 'admin'],
      /^error: invalid --email "not-an-email": a valid e-mail address\n/,
    ],
    [
      ['token', 'create', '--name', 'ci', '--role', 'admin', '--expires-days', '0'],
      /^error: invalid --expires-days "0": /,
    ],
    [
      ['token', 'create', '--name', 'ci', '--role', 'admin', '--expires-days', 'soon'],
      /^error: invalid --expires-days "soon": /,
    ],
    [['frobnicate'], /^error: unknown command 'frobnicate'\n/],
  ])('rejects %j with exit code 2 and a one-line message', async (args, message) => {
    const run = await runCli(installation, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('rejects a password on stdin shorter than 12 characters with exit code 2, without echoing it', async () => {
    const run = await runCli(
      installation,
      [
        'user',
        'create',
        '--email',
        'e@example.test',
        '--name',
        'E',
        '--role',
        'employee',
        '--password-stdin',
      ],
      {
        stdin: 'hunter2',
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: invalid password on stdin: at least 12 characters\n');
  });

  it('rejects a bad environment variable with exit code 2, naming it', async () => {
    const run = await runCli(installation, ['audit', 'verify'], { env: { PORT: 'eighty' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: Invalid PORT="eighty": /);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  // The single-process guard concerns the embedded database only; PostgreSQL serves many processes.
  it.skipIf(onPostgres)(
    'refuses to open a PGlite folder another process has open, with a clear message',
    { timeout: SLOW },
    async () => {
      const held = await openDatabase({ dataDir: installation.dataDir });
      try {
        await held.executeSql('select 1');
        const run = await runCli(installation, ['audit', 'verify']);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
          /^error: the embedded database in .+ is in use by another process \(pid \d+\): stop the server first, or use DATABASE_URL\.\n$/,
        );
      } finally {
        await held.close();
      }
    },
  );

  // As above: only PGlite has a folder to guard.
  it.skipIf(onPostgres)(
    'opens a PGlite folder whose postmaster.pid a crashed process left behind',
    { timeout: SLOW },
    async () => {
      const migrated = await runCli(installation, ['migrate']);
      expect(migrated.code).toBe(0);
      // What PGlite writes while open (its pid is a placeholder) and removes on a clean close.
      writeFileSync(
        path.join(installation.dataDir, 'pglite', 'postmaster.pid'),
        '-42\n/pglite/data\n1700000000\n5432\n',
      );
      const run = await runCli(installation, ['audit', 'verify']);
      expect(run.code).toBe(0);
    },
  );
});

describe('attest migrate', () => {
  let installation: Installation;
  beforeAll(async () => {
    installation = await makeInstallation();
  });
  afterAll(() => installation.remove());

  it('applies the migrations on a new database, then reports it up to date', { timeout: SLOW }, async () => {
    const first = await runCli(installation, ['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migrations?: 0000_foundation, /);
    const second = await runCli(installation, ['migrate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Database schema is up to date \(\d+ migrations\)\.\n$/);
  });
});

describe('attest audit verify', () => {
  let installation: Installation;
  beforeAll(async () => {
    installation = await makeInstallation();
  });
  afterAll(() => installation.remove());

  it('exits 0 on an intact chain and 1, naming the entry, after one is altered', {
    timeout: SLOW,
  }, async () => {
    const created = await runCli(installation, [
      'user',
      'create',
      '--email',
      'f@example.test',
      '--name',
      'F',
      '--role',
      'employee',
    ]);
    expect(created.code).toBe(0);
    const intact = await runCli(installation, ['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^OK: \d+ entries, head [0-9a-f]{64}\n$/);

    await withInstallation(installation, async (ctx) => {
      await ctx.database.db.transaction(async (tx) => {
        // A superuser skipping the append-only trigger: what the hash chain is there to catch.
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(
          sql`update audit_log set details = '{"email":"mallory@example.test"}' where seq = 1`,
        );
      });
    });
    const broken = await runCli(installation, ['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^BROKEN at entry 1: entry 1 was altered/);
  });
});
