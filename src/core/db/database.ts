import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

/** The one query handle the rest of the code uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type Queryable = Db | Tx;

export type DatabaseDriver = 'pglite' | 'postgres';
export type EmbeddedDatabase = 'pglite' | 'embedded-postgres';

export type Database = {
  db: Db;
  driver: DatabaseDriver;
  /** Raw SQL for libraries that bring their own (pg-boss). Multi-statement text only without values. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** A connection string for libraries that want their own pool (PostgreSQL only). */
  connectionString: string | undefined;
  /** The embedded database, for backup (PGlite only). */
  pglite: PGlite | undefined;
  close(): Promise<void>;
};

export const migrationsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

/** Arbitrary constant naming the migration lock, so concurrent starts on one PostgreSQL take turns. */
const MIGRATION_LOCK_ID = 7_351_224_001;

export type OpenDatabaseOptions = {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** Folder for the embedded database's files; `memory://` keeps PGlite in memory (tests). */
  dataDir: string;
  /** Which embedded database to use when there is no URL (ATTEST_DATABASE); PGlite by default. */
  embedded?: EmbeddedDatabase;
  poolSize?: number;
};

/**
 * Opens the database. Fails with the driver's error when PostgreSQL is unreachable
 * or the PGlite folder is unusable; it does not migrate (see `migrateDatabase`).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize);
  if (options.embedded === 'embedded-postgres' && options.dataDir !== 'memory://') {
    const server = await startEmbeddedPostgres(options.dataDir);
    try {
      const database = await openPostgres(server.url, options.poolSize);
      return {
        ...database,
        close: async () => {
          await database.close();
          await server.stop();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  }
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  {
    const pool = new pg.Pool({ connectionString: url, max: poolSize });
    // An idle connection the server ends (restart, failover, a dropped database) must not crash the
    // process: the pool drops that client and opens a new one on the next query.
    pool.on('error', (error) => {
      process.emitWarning(`PostgreSQL connection lost while idle: ${error.message}`);
    });
    // Surface a wrong URL at start, not on the first request.
    const client = await pool.connect();
    client.release();
    const db = drizzlePg(pool) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      connectionString: url,
      pglite: undefined,
      executeSql: async (text, values) => {
        const result = await pool.query(text, values as unknown[] | undefined);
        return { rows: result.rows };
      },
      close: () => pool.end(),
    };
  }
}

async function openPglite(folder: string): Promise<Database> {
  const dataDir = folder === 'memory://' ? undefined : path.join(folder, 'pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    connectionString: undefined,
    pglite: client,
    executeSql: async (text, values) => {
      if (!values || values.length === 0) {
        // pg-boss sends multi-statement scripts without parameters; only exec() accepts those.
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await client.query(text, values as unknown[]);
      return { rows: result.rows };
    },
    close: () => client.close(),
  };
}

/** Applies the committed SQL migrations; safe when several processes start at once on one PostgreSQL. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.driver === 'pglite') {
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete driver type
    await migratePglite(database.db as any, { migrationsFolder });
    return;
  }
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

/** True when the database answers a trivial query. */
export async function isDatabaseHealthy(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
