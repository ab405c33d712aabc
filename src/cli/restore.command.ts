import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../core/config/config.ts';
import { KEY_FILE_NAME } from '../core/crypto/index.ts';
import type { Database } from '../core/db/index.ts';
import { DATA_FOLDER, extractBackup, hasManifest, type Manifest, verifyExtracted } from './backup-archive.ts';
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

/** The file exists and starts like a gzip tarball; exit code 2 otherwise. */
function checkInput(file: string): void {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new CliError(`invalid --in: ${file} is not a file`, 2);
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    throw new CliError(
      `invalid --in: ${file} is not a backup made by \`attest backup\` (expected a gzip tarball)`,
      2,
    );
  }
}

function readBackup(file: string): Buffer {
  checkInput(file);
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
  if (!config.databaseUrl && !existsSync(path.join(pgliteFolder(config), 'PG_VERSION'))) return undefined;
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

/** Refuses to replace a database that holds data unless --force (the replaced one is kept where possible). */
async function assertReplaceable(config: Config, force: boolean): Promise<void> {
  const current = await inspectCurrent(config);
  if (!current || force) return;
  const where = config.databaseUrl ? 'The database at DATABASE_URL' : pgliteFolder(config);
  const kept = config.databaseUrl
    ? 'its current content is dropped, so back it up first'
    : 'the current folder is kept beside it as pglite.bak-<time>';
  throw new CliError(`${where} already holds ${current}. Pass --force to replace it (${kept}).`);
}

/** Swaps a loaded PGlite folder in; returns the folder the old database was kept in, if there was one. */
function swapPgliteFolder(config: Config, incoming: string, stamp: string): string | undefined {
  const folder = pgliteFolder(config);
  const kept = existsSync(folder) ? path.join(config.dataDir, `pglite.bak-${stamp}`) : undefined;
  if (kept) renameSync(folder, kept);
  renameSync(incoming, folder);
  return kept;
}

/** pg_restore of the backup's dump into DATABASE_URL, in one transaction: all of it or nothing. */
async function restorePostgresDump(config: Config, dump: string): Promise<void> {
  const { postgresTarget, runTool } = await import('./backup.command.ts');
  const target = postgresTarget(config);
  const result = await runTool(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      `--dbname=${target.url}`,
      dump,
    ],
    target.env,
  );
  if (result === 'not-found')
    throw new CliError('pg_restore was not found on PATH: install the PostgreSQL client tools to restore');
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').at(-1) ?? `exit code ${result.code}`;
    throw new CliError(`pg_restore failed, the database is unchanged: ${reason}`);
  }
}

/**
 * Puts the backup's data-folder files in place: each top-level folder or file of the backup replaces
 * the current one, which is kept beside it as `<name>.bak-<time>`. Returns the names kept.
 */
function placeDataFiles(config: Config, staged: string, stamp: string): string[] {
  if (!existsSync(staged)) return [];
  const kept: string[] = [];
  for (const name of readdirSync(staged).sort()) {
    const target = path.join(config.dataDir, name);
    if (existsSync(target)) {
      const aside = `${name}.bak-${stamp}`;
      renameSync(target, path.join(config.dataDir, aside));
      kept.push(aside);
    }
    renameSync(path.join(staged, name), target);
  }
  return kept;
}

function sayKeyAdvice(config: Config, missingKeys: string[]): void {
  const keyLocation = describeKeyLocation(config);
  if (missingKeys.length > 0) {
    say(
      `Warning: data in this backup is encrypted with key id ${missingKeys.join(', ')}, which ${keyLocation} ` +
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

/**
 * Restores a backup made by `attest backup`: extracted into a new folder and checked against its
 * manifest (every entry's size and SHA-256) before the database or any file in place is replaced.
 */
async function restoreBackup(config: Config, file: string, force: boolean): Promise<void> {
  checkInput(file);
  if (!config.databaseUrl) assertDatabaseFree(config);
  const modern = await hasManifest(file);
  if (!modern) return restoreLegacyPglite(config, file, force);
  await assertReplaceable(config, force);
  // A new machine may not have the data folder yet; 0700 as the keyring creates it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const stamp = fileTimestamp();
  const staging = path.join(config.dataDir, `.restore-${stamp}`);
  await extractBackup(file, staging);
  try {
    const manifest = verifyExtracted(staging, file) as Manifest;
    const expected = config.databaseUrl ? 'pg_dump' : 'pglite';
    if (manifest.database.method !== expected) {
      throw new CliError(
        manifest.database.method === 'pglite'
          ? 'this backup holds an embedded (PGlite) database: unset DATABASE_URL to restore it'
          : 'this backup holds a PostgreSQL dump: set DATABASE_URL to the database to restore it into',
      );
    }
    const dump = path.join(staging, ...manifest.database.path.split('/'));
    let keptDatabase: string | undefined;
    if (config.databaseUrl) await restorePostgresDump(config, dump);
    else {
      const incoming = path.join(config.dataDir, `pglite.restore-${stamp}`);
      await loadIntoNewFolder(readFileSync(dump), incoming, file);
      keptDatabase = swapPgliteFolder(config, incoming, stamp);
    }
    const keptFiles = placeDataFiles(config, path.join(staging, DATA_FOLDER), stamp);
    const restored = await finishRestore(config, {
      file: path.basename(file),
      sizeBytes: statSync(file).size,
      method: manifest.database.method,
      files: manifest.files.length,
      previousFolder: keptDatabase ? path.basename(keptDatabase) : null,
    });
    print(
      `Restored ${file} (${formatBytes(statSync(file).size)}): the database and ${manifest.files.length} data-folder ${manifest.files.length === 1 ? 'file' : 'files'}, all checksums verified.`,
    );
    if (keptDatabase)
      say(`The previous database folder is kept as ${keptDatabase}; delete it once you no longer need it.`);
    if (keptFiles.length > 0)
      say(`The replaced data-folder entries are kept as ${keptFiles.join(', ')}; delete them once unneeded.`);
    say(restored.migrations);
    say(restored.chain);
    sayKeyAdvice(config, restored.missingKeys);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A backup from before backups held files: the embedded database only (its files must come back by hand). */
async function restoreLegacyPglite(config: Config, file: string, force: boolean): Promise<void> {
  if (config.databaseUrl) {
    throw new CliError(
      'this file is an embedded-database backup from an earlier release: unset DATABASE_URL to restore it',
    );
  }
  const data = readBackup(file);
  await assertReplaceable(config, force);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const stamp = fileTimestamp();
  const incoming = path.join(config.dataDir, `pglite.restore-${stamp}`);
  await loadIntoNewFolder(data, incoming, file);
  const kept = swapPgliteFolder(config, incoming, stamp);
  const restored = await finishRestore(config, {
    file: path.basename(file),
    sizeBytes: data.length,
    method: 'pglite',
    files: null,
    previousFolder: kept ? path.basename(kept) : null,
  });
  print(`Restored ${file} (${formatBytes(data.length)}) into ${pgliteFolder(config)}.`);
  say(
    "Warning: this backup was made by an earlier release and holds the database only. Copy the data folder's " +
      'trust-files/ from the old installation too: documents whose file is missing answer 404 and are flagged in the admin app.',
  );
  if (kept) say(`The previous database folder is kept as ${kept}; delete it once you no longer need it.`);
  say(restored.migrations);
  say(restored.chain);
  sayKeyAdvice(config, restored.missingKeys);
}

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description(
      "Replace the database and the data folder's files with a backup made by `attest backup` (stop the server first)",
    )
    .requiredOption('--in <file>', 'backup file to restore')
    .option(
      '--force',
      'replace a database that already holds data (an embedded one is kept as pglite.bak-<time>, replaced files as <name>.bak-<time>)',
    )
    .addHelpText(
      'after',
      '\nThe backup is extracted into a new folder and every entry checked against its manifest (size and\n' +
        'SHA-256) before anything is replaced; then the database is loaded (PGlite) or pg_restore-d (DATABASE_URL,\n' +
        'in one transaction), the files are put back, and the database is migrated.',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(RestoreOptions, options);
      const config = await loadCliConfig();
      await restoreBackup(config, path.resolve(input.in), input.force);
    });
}
