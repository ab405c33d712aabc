import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '../core/config/config.ts';
import type { Database } from '../core/db/index.ts';
import {
  DATABASE_FOLDER,
  MANIFEST_NAME,
  type Manifest,
  packStaging,
  sha256File,
  stageDataFiles,
} from './backup-archive.ts';
import {
  BACKUP_FILE_MODE,
  commitPartial,
  describeKeyLocation,
  fileTimestamp,
  formatBytes,
  partialPathFor,
  writeFileAtomic,
} from './backup-files.ts';
import { CliError } from './cli-error.ts';
import { loadCliConfig, parseOptions, pgliteFolder, print, say, withDatabase } from './runtime.ts';

const BackupOptions = z.strictObject({ out: z.string().trim().min(1).max(4096) });

type Written = {
  sizeBytes: number;
  method: 'pglite' | 'pg_dump';
  description: string;
  files: number;
  filesBytes: number;
};

/** The target's folder must exist and the target must not be a folder (or inside the database). */
function checkTarget(out: string, config: Config): void {
  const folder = path.dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new CliError(`invalid --out: folder ${folder} does not exist`, 2);
  if (existsSync(out) && statSync(out).isDirectory())
    throw new CliError(`invalid --out: ${out} is a folder, not a file`, 2);
  if (out.startsWith(`${pgliteFolder(config)}${path.sep}`)) {
    throw new CliError('invalid --out: write the backup outside the database folder', 2);
  }
}

async function recordBackup(database: Database, written: Written, out: string): Promise<void> {
  const [{ recordAudit }, { systemActor }] = await Promise.all([
    import('../audit/index.ts'),
    import('../core/http/actor.ts'),
  ]);
  await recordAudit(database.db, systemActor('cli'), {
    action: 'system.backup.created',
    details: {
      method: written.method,
      file: path.basename(out),
      sizeBytes: written.sizeBytes,
      files: written.files,
      filesBytes: written.filesBytes,
    },
  });
}

type DatabaseDump = { method: Written['method']; description: string; relative: string };

/**
 * PGlite's own dump of its data folder (a gzip tarball that `new PGlite(dir, { loadDataDir })`
 * reads back). Consistent because this process is the only one with the folder open. The database
 * is opened as it is, not migrated: a backup taken before an upgrade must hold the old schema.
 */
async function dumpPglite(database: Database, staging: string): Promise<DatabaseDump> {
  if (!database.pglite) throw new CliError('the embedded database did not open as PGlite');
  const dump = await database.pglite.dumpDataDir('gzip');
  const relative = `${DATABASE_FOLDER}/pglite.tar.gz`;
  writeFileAtomic(path.join(staging, ...relative.split('/')), new Uint8Array(await dump.arrayBuffer()));
  return { method: 'pglite', description: 'embedded PGlite database', relative };
}

/** Runs a tool; 'not-found' when it is not installed. Keeps stderr for the error message. */
export function runTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string } | 'not-found'> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? 'not-found' : { code: null, stderr: error.message }),
    );
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The database URL without its password, and the password for PGPASSWORD (never on a command line). */
export function postgresTarget(config: Config): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(config.databaseUrl as string);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** pg_dump in its custom format (what pg_restore reads), into the staging folder. */
async function dumpPostgres(config: Config, staging: string): Promise<DatabaseDump> {
  const relative = `${DATABASE_FOLDER}/postgres.dump`;
  const target = postgresTarget(config);
  const result = await runTool(
    'pg_dump',
    [
      '--format=custom',
      '--no-password',
      `--file=${path.join(staging, ...relative.split('/'))}`,
      `--dbname=${target.url}`,
    ],
    target.env,
  );
  if (result === 'not-found') {
    throw new CliError(
      'pg_dump was not found on PATH, and with DATABASE_URL Attest backs up through it. Install the PostgreSQL ' +
        "client tools (the server's major version or newer).",
    );
  }
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').at(-1) ?? `exit code ${result.code}`;
    throw new CliError(`pg_dump failed: ${reason}`);
  }
  return { method: 'pg_dump', description: 'PostgreSQL (pg_dump custom format)', relative };
}

/**
 * Dumps the database first, then takes the data folder's files: a file's bytes are written before the
 * row that names it commits, so every row in the dump finds its file in the backup.
 */
async function writeBackup(config: Config, out: string): Promise<Written> {
  if (!config.databaseUrl && !existsSync(path.join(pgliteFolder(config), 'PG_VERSION')))
    throw new CliError(`there is no embedded database in ${pgliteFolder(config)} to back up`);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const staging = path.join(config.dataDir, `.backup-${fileTimestamp()}-${process.pid}`);
  mkdirSync(path.join(staging, DATABASE_FOLDER), { recursive: true, mode: 0o700 });
  const partial = partialPathFor(out);
  try {
    return await withDatabase(config, async (database) => {
      const dump = config.databaseUrl
        ? await dumpPostgres(config, staging)
        : await dumpPglite(database, staging);
      const files = stageDataFiles(config.dataDir, staging, (absolute) => absolute === out);
      const manifest: Manifest = {
        format: 'attest-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        database: {
          method: dump.method,
          path: dump.relative,
          ...sha256File(path.join(staging, ...dump.relative.split('/'))),
        },
        files,
      };
      writeFileAtomic(
        path.join(staging, MANIFEST_NAME),
        Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
      );
      // Created first with mode 0600: the archive is never readable by others, even half-written.
      closeSync(openSync(partial, 'wx', BACKUP_FILE_MODE));
      await packStaging(staging, partial);
      commitPartial(partial, out);
      const written: Written = {
        sizeBytes: statSync(out).size,
        method: dump.method,
        description: `${dump.description} and ${files.length} data-folder ${files.length === 1 ? 'file' : 'files'}`,
        files: files.length,
        filesBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
      };
      await recordBackup(database, written, out);
      return written;
    });
  } finally {
    rmSync(partial, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description(
      'Write one backup file holding the database and every file of the data folder (the encryption key is not in it)',
    )
    .requiredOption('--out <file>', 'file to write (mode 0600); an existing file is replaced atomically')
    .addHelpText(
      'after',
      '\nA gzip tarball: a manifest with the SHA-256 of every entry, the database (a dump of the embedded\n' +
        'PGlite database, or pg_dump custom format with DATABASE_URL) and the files of the data folder\n' +
        '(trust-center documents, the mail outbox). Restore it with `attest restore --in <file>`.\n' +
        'Back up the encryption key (data/secret.key or ATTEST_SECRET_KEY) separately.',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(BackupOptions, options);
      const config = await loadCliConfig();
      const out = path.resolve(input.out);
      checkTarget(out, config);
      const written = await writeBackup(config, out);
      print(`Backup written to ${out} (${formatBytes(written.sizeBytes)}, ${written.description}).`);
      say('Restore it with: attest restore --in <file> (it checks every entry before replacing anything).');
      say(
        `The encryption key is not in the backup: keep a copy of ${describeKeyLocation(config)} apart from it. ` +
          'Without that key the encrypted data in the backup cannot be read.',
      );
    });
}
