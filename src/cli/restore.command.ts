import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../core/config/config.ts';
import { KEY_FILE_NAME } from '../core/crypto/index.ts';
import type { Database } from '../core/db/index.ts';
import { describeKeyLocation, fileTimestamp, formatBytes } from './backup-files.ts';
import { CliError } from './cli-error.ts';
import { describeMigrations, migrateWithReport } from './migrate.command.ts';
import {
  assertDatabaseFree,
  loadCliConfig,
  parseOptions,
  pgliteFolder,
  print,
  say,
  withDatabase,
} from './runtime.ts';

const RestoreOptions = z.strictObject({
  in: z.string().trim().min(1).max(4096),
  force: z.boolean().default(false),
});

const GZIP_MAGIC = [0x1f, 0x8b];

function readBackup(file: string): Buffer {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new CliError(`invalid --in: ${file} is not a file`, 2);
  const data = readFileSync(file);
  if (data[0] !== GZIP_MAGIC[0] || data[1] !== GZIP_MAGIC[1]) {
    throw new CliError(
      `invalid --in: ${file} is not a backup made by \`attest backup\` (expected a gzip tarball)`,
      2,
    );
  }
  return data;
}

async function countRows(database: Database, table: 'users' | 'audit_log'): Promise<number> {
  const found = (await database.db.execute(sql`select to_regclass(${table}) as name`)) as unknown as {
    rows: { name: unknown }[];
  };
  if (!found.rows[0]?.name) return 0;
  const counted = (await database.db.execute(
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  )) as unknown as {
    rows: { n: number }[];
  };
  return Number(counted.rows[0]?.n ?? 0);
}

/** What the current folder holds: nothing, some rows (counted), or something PGlite cannot open. */
async function inspectCurrent(config: Config): Promise<string | undefined> {
  if (!existsSync(path.join(pgliteFolder(config), 'PG_VERSION'))) return undefined;
  try {
    return await withDatabase(config, async (database) => {
      const users = await countRows(database, 'users');
      const entries = await countRows(database, 'audit_log');
      return users + entries > 0 ? `${users} users, ${entries} audit entries` : undefined;
    });
  } catch (error) {
    return `a database that could not be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** Unpacks the tarball into a new folder with PGlite itself, so a bad file never touches the current one. */
async function loadIntoNewFolder(data: Buffer, folder: string, file: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  try {
    const pglite = new PGlite(folder, { loadDataDir: new Blob([new Uint8Array(data)]) });
    await pglite.waitReady;
    await pglite.query('select 1');
    await pglite.close();
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw new CliError(
      `could not load ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}

/**
 * Sealed values name the key that sealed them. Warns when the restored data uses a key this
 * configuration does not have, before the server starts without it (and users cannot sign in).
 */
async function findMissingKeys(config: Config, database: Database): Promise<string[]> {
  const { keyIdOf, loadKeyring } = await import('../core/crypto/index.ts');
  const sealed = (await database.db.execute(
    sql`select totp_secret as value from users where totp_secret is not null limit 50`,
  )) as unknown as { rows: { value: string }[] };
  const used = new Set(sealed.rows.map((row) => keyIdOf(row.value)));
  if (used.size === 0) return [];
  const hasKey = config.secretKey !== undefined || existsSync(path.join(config.dataDir, KEY_FILE_NAME));
  // Without a key, loading one here would generate a new key file: report instead.
  if (!hasKey) return [...used];
  const keyring = loadKeyring({
    secretKey: config.secretKey,
    previousKeys: config.previousSecretKeys,
    dataDir: config.dataDir,
  });
  return [...used].filter((keyId) => !keyring.keys.has(keyId));
}

type Restored = { migrations: string; chain: string; missingKeys: string[] };

async function finishRestore(config: Config, details: Record<string, unknown>): Promise<Restored> {
  const [{ recordAudit, verifyAuditChain }, { systemActor }] = await Promise.all([
    import('../audit/index.ts'),
    import('../core/http/actor.ts'),
  ]);
  return withDatabase(config, async (database) => {
    const report = await migrateWithReport(database);
    const verified = await verifyAuditChain(database.db);
    await recordAudit(database.db, systemActor('cli'), {
      action: 'system.backup.restored',
      details: { ...details, migrationsApplied: report.applied, chainOk: verified.ok },
    });
    return {
      migrations: describeMigrations(report),
      chain: verified.ok
        ? `Audit chain: OK, ${verified.checked} entries.`
        : `Audit chain in the backup: BROKEN at entry ${verified.firstBrokenSeq}: ${verified.reason}`,
      missingKeys: await findMissingKeys(config, database),
    };
  });
}

async function restorePglite(config: Config, file: string, force: boolean): Promise<void> {
  const data = readBackup(file);
  const folder = pgliteFolder(config);
  assertDatabaseFree(config);
  const current = await inspectCurrent(config);
  if (current && !force) {
    throw new CliError(
      `${folder} already holds ${current}. Pass --force to replace it (the current folder is kept beside it as pglite.bak-<time>).`,
    );
  }
  // A new machine may not have the data folder yet; 0700 as the keyring creates it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const stamp = fileTimestamp();
  const incoming = path.join(config.dataDir, `pglite.restore-${stamp}`);
  await loadIntoNewFolder(data, incoming, file);
  const kept = existsSync(folder) ? path.join(config.dataDir, `pglite.bak-${stamp}`) : undefined;
  if (kept) renameSync(folder, kept);
  renameSync(incoming, folder);
  const restored = await finishRestore(config, {
    file: path.basename(file),
    sizeBytes: data.length,
    previousFolder: kept ? path.basename(kept) : null,
  });
  print(`Restored ${file} (${formatBytes(data.length)}) into ${folder}.`);
  if (kept) say(`The previous database folder is kept as ${kept}; delete it once you no longer need it.`);
  say(restored.migrations);
  say(restored.chain);
  const keyLocation = describeKeyLocation(config);
  if (restored.missingKeys.length > 0) {
    say(
      `Warning: data in this backup is encrypted with key id ${restored.missingKeys.join(', ')}, which ${keyLocation} ` +
        'does not provide. Put the key used with this backup in place before starting the server.',
    );
  } else if (!config.secretKey && !existsSync(path.join(config.dataDir, KEY_FILE_NAME))) {
    say(
      `No encryption key here yet: copy the backed-up installation's key to ${keyLocation} before starting the server.`,
    );
  } else {
    say(
      `Encrypted data needs the key it was sealed with: ${keyLocation} must be the backed-up installation's key.`,
    );
  }
}

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description(
      'Replace the embedded database with a backup made by `attest backup` (stop the server first)',
    )
    .requiredOption('--in <file>', 'backup file to restore')
    .option('--force', 'replace a database that already holds data (its folder is kept as pglite.bak-<time>)')
    .addHelpText(
      'after',
      '\nThe backup is loaded into a new folder, swapped in, then migrated. With DATABASE_URL, restore a\n' +
        'pg_dump backup with pg_restore instead.',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(RestoreOptions, options);
      const config = await loadCliConfig();
      if (config.databaseUrl) {
        throw new CliError(
          'restore loads backups of the embedded database only. With DATABASE_URL, stop every Attest process and restore ' +
            'the pg_dump file with PostgreSQL\'s tool: pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" <file>',
        );
      }
      await restorePglite(config, path.resolve(input.in), input.force);
    });
}
