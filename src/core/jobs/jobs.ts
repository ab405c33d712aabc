import { type SQL, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Database, Queryable } from '../db/index.ts';

/** A job type: its queue name, the zod schema of its payload and what it does. Handlers must be idempotent. */
export type JobDefinition<Schema extends z.ZodType> = {
  name: string;
  payload: Schema;
  retryLimit?: number;
  handle(payload: z.infer<Schema>): Promise<void>;
};

export type Jobs = {
  /**
   * Enqueues a job. Pass the open transaction as `tx` so the job commits or rolls back with the
   * writes that caused it. Throws a ZodError when the payload does not match the definition.
   */
  send<Schema extends z.ZodType>(
    definition: JobDefinition<Schema>,
    payload: z.infer<Schema>,
    options?: { tx?: Queryable; startAfterSeconds?: number; singletonKey?: string; priority?: number },
  ): Promise<string | null>;
  /**
   * Creates the queues of these job types. Every type must be registered at start, before any
   * send: creating a queue inside a caller's transaction would wait on that transaction (PGlite).
   */
  register(definitions: JobDefinition<z.ZodType>[]): Promise<void>;
  /** Runs workers for registered types; jobs sent before a restart are picked up after it. */
  work(definitions: JobDefinition<z.ZodType>[]): Promise<void>;
  /**
   * What a domain calls while the app is built: registers its job types and, in a process that runs
   * workers (the server, not a one-shot CLI command), starts working them.
   */
  define(definitions: JobDefinition<z.ZodType>[]): Promise<void>;
  boss: PgBoss;
  stop(): Promise<void>;
};

/** Runs parameterised SQL text ($1, $2 …) through drizzle, so pg-boss can write inside our transaction. */
function executorFor(queryable: Queryable): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = parts.map((part, index) =>
        index % 2 === 0 ? sql.raw(part) : sql`${sql.param(values[Number(part) - 1])}`,
      );
      const result = (await queryable.execute(sql.join(chunks))) as unknown as { rows: unknown[] };
      return { rows: result.rows };
    },
  };
}

/**
 * Starts pg-boss on the same database: its own pool on PostgreSQL, the shared connection on PGlite.
 * `workers: false` only enqueues (CLI commands), leaving the work to the server.
 */
export async function startJobs(
  database: Database,
  options: { onError: (error: Error) => void; pollingIntervalSeconds?: number; workers?: boolean },
): Promise<Jobs> {
  const boss =
    database.driver === 'postgres'
      ? new PgBoss({ connectionString: database.connectionString, max: 4 })
      : new PgBoss({ db: { executeSql: (text, values) => database.executeSql(text, values) } });
  boss.on('error', options.onError);
  await boss.start();
  const registered = new Set<string>();

  const jobs: Jobs = {
    boss,
    async send(definition, payload, sendOptions = {}) {
      const data = definition.payload.parse(payload) as object;
      if (!registered.has(definition.name))
        throw new Error(`job type ${definition.name} was not registered at start`);
      return boss.send(definition.name, data, {
        retryLimit: definition.retryLimit ?? 5,
        retryBackoff: true,
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
        // Higher first; pg-boss fetches by priority, then age.
        ...(sendOptions.priority ? { priority: sendOptions.priority } : {}),
        ...(sendOptions.tx ? { db: executorFor(sendOptions.tx) } : {}),
      });
    },
    async define(definitions) {
      await jobs.register(definitions);
      if (options.workers) await jobs.work(definitions);
    },
    async register(definitions) {
      for (const definition of definitions) {
        if (registered.has(definition.name)) continue;
        await boss.createQueue(definition.name);
        registered.add(definition.name);
      }
    },
    async work(definitions) {
      for (const definition of definitions) {
        if (!registered.has(definition.name))
          throw new Error(`job type ${definition.name} was not registered`);
        await boss.work(
          definition.name,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
          async (jobs) => {
            for (const job of jobs) await definition.handle(definition.payload.parse(job.data));
          },
        );
      }
    },
    stop: () => boss.stop({ graceful: true, close: true, timeout: 5000 }),
  };
  return jobs;
}
