import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '../core/config/config.ts';
import type { Database } from '../core/db/index.ts';
import {
  BACKUP_FILE_MODE,
  commitPartial,
  describeKeyLocation,
  formatBytes,
  partialPathFor,
  writeFileAtomic,
} from './backup-files.ts';
import { CliError } from './cli-error.ts';
import { loadCliConfig, parseOptions, pgliteFolder, print, say, withDatabase } from './runtime.ts';

const BackupOptions = z.strictObject({ out: z.string().trim().min(1).max(4096) });

type Written = { sizeBytes: number; method: 'pglite' | 'pg_dump'; description: string };

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
    details: { method: written.method, file: path.basename(out), sizeBytes: written.sizeBytes },
  });
}

/**
 * PGlite's own dump of its data folder (a gzip tarball that `new PGlite(dir, { loadDataDir })`
 * reads back). Consistent because this process is the only one with the folder open. The database
 * is opened as it is, not migrated: a backup taken before an upgrade must hold the old schema.
 */
async function backupPglite(config: Config, out: string): Promise<Written> {
  const folder = pgliteFolder(config);
  if (!existsSync(path.join(folder, 'PG_VERSION')))
    throw new CliError(`there is no embedded database in ${folder} to back up`);
  return withDatabase(config, async (database) => {
    if (!database.pglite) throw new CliError('the embedded database did not open as PGlite');
    const dump = await database.pglite.dumpDataDir('gzip');
    const data = new Uint8Array(await dump.arrayBuffer());
    writeFileAtomic(out, data);
    const written: Written = {
      sizeBytes: data.length,
      method: 'pglite',
      description: 'embedded PGlite data folder, gzip tarball',
    };
    await recordBackup(database, written, out);
    return written;
  });
}

/** Runs a tool; 'not-found' when it is not installed. Keeps stderr for the error message. */
function runTool(
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

/**
 * pg_dump in its custom format (what pg_restore reads). The password goes through PGPASSWORD, not
 * the command line, so other users cannot read it from the process list.
 */
async function backupPostgres(config: Config, out: string): Promise<Written> {
  const url = new URL(config.databaseUrl as string);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const partial = partialPathFor(out);
  // Created first with mode 0600: pg_dump truncates and keeps it, so the dump is never world-readable.
  closeSync(openSync(partial, 'wx', BACKUP_FILE_MODE));
  const result = await runTool(
    'pg_dump',
    ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${url.toString()}`],
    {
      ...process.env,
      ...(password ? { PGPASSWORD: password } : {}),
    },
  );
  if (result === 'not-found' || result.code !== 0) {
    rmSync(partial, { force: true });
    if (result === 'not-found') {
      throw new CliError(
        'pg_dump was not found on PATH, and with DATABASE_URL Attest backs up through it. Install the PostgreSQL ' +
          `client tools (the server's major version or newer), or run: pg_dump --format=custom --file=${out} "$DATABASE_URL"`,
      );
    }
    const reason = result.stderr.trim().split('\n').at(-1) ?? `exit code ${result.code}`;
    throw new CliError(`pg_dump failed: ${reason}`);
  }
  commitPartial(partial, out);
  const written: Written = {
    sizeBytes: statSync(out).size,
    method: 'pg_dump',
    description: 'PostgreSQL, pg_dump custom format',
  };
  await withDatabase(config, (database) => recordBackup(database, written, out));
  return written;
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('Write a consistent backup of the database to a file (the encryption key is not in it)')
    .requiredOption('--out <file>', 'file to write (mode 0600); an existing file is replaced atomically')
    .addHelpText(
      'after',
      '\nEmbedded database: a dump of the PGlite data folder, restored with `attest restore --in <file>`.\n' +
        'With DATABASE_URL: runs pg_dump (custom format), restored with pg_restore.\n' +
        'Back up the encryption key (data/secret.key or ATTEST_SECRET_KEY) separately.',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(BackupOptions, options);
      const config = await loadCliConfig();
      const out = path.resolve(input.out);
      checkTarget(out, config);
      const written = config.databaseUrl
        ? await backupPostgres(config, out)
        : await backupPglite(config, out);
      print(`Backup written to ${out} (${formatBytes(written.sizeBytes)}, ${written.description}).`);
      if (written.method === 'pg_dump')
        say(`Restore it with: pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${out}`);
      say(
        `The encryption key is not in the backup: keep a copy of ${describeKeyLocation(config)} apart from it. ` +
          'Without that key the encrypted data in the backup cannot be read.',
      );
      const files = path.join(config.dataDir, 'trust-files');
      if (existsSync(files)) {
        say(
          `Trust-center documents are files, not database rows: copy ${files} too (they are stored encrypted). ` +
            'Restore puts the database back; put that folder back beside it.',
        );
      }
    });
}
