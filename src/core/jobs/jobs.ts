import { type SQL, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { type Database, databaseSafe, type Queryable } from '../db/index.ts';
import type { JobFailure } from './failure.ts';
import { type QueueWorker, startQueueWorker } from './worker.ts';

/** A job type: its queue name, the zod schema of its payload and what it does. Handlers must be idempotent. */
export type JobDefinition<Schema extends z.ZodType> = {
  name: string;
  payload: Schema;
  /** Attempts after the first, with exponential back-off; then the job is kept as failed (default 5). */
  retryLimit?: number;
  /**
   * Among a queue's waiting jobs, higher runs first (default 0; see JOB_PRIORITY). `send` may set
   * another per job, so one queue can put account mail ahead of bulk mail.
   */
  priority?: number;
  handle(payload: z.infer<Schema>): Promise<void>;
};

/** Named priorities, so callers agree on what "urgent" means. */
export const JOB_PRIORITY = { bulk: -10, normal: 0, high: 10, critical: 20 } as const;

export type SendOptions = {
  tx?: Queryable;
  startAfterSeconds?: number;
  singletonKey?: string;
  /** Overrides the definition's priority for this job. */
  priority?: number;
};

export type Jobs = {
  /**
   * Enqueues a job. Pass the open transaction as `tx` so the job commits or rolls back with the
   * writes that caused it. Throws a ZodError when the payload does not match the definition.
   */
  send<Schema extends z.ZodType>(
    definition: JobDefinition<Schema>,
    payload: z.infer<Schema>,
    options?: SendOptions,
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
  /** The running workers by queue name (tests read their fetch counts). */
  workers: ReadonlyMap<string, QueueWorker>;
  stop(): Promise<void>;
};

export type JobsOptions = {
  /** pg-boss's own errors and anything the workers could not do (fetch, record a failure). */
  onError: (error: Error) => void;
  /** A job attempt failed: it will be retried, or kept as failed when no attempt is left. */
  onJobFailed?: (queue: string, jobId: string, failure: JobFailure) => void;
  /** How long an idle worker waits before looking for new jobs (default 2 s). */
  pollingIntervalSeconds?: number;
  /** Jobs fetched at once per queue; each is run and settled on its own (default 10). */
  batchSize?: number;
  workers?: boolean;
};

const STOP_TIMEOUT_MS = 5000;
const DEAD_JOBS_KEPT_SECONDS = 30 * 24 * 60 * 60;

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
export async function startJobs(database: Database, options: JobsOptions): Promise<Jobs> {
  // Dead jobs stay where admins can retry them for 30 days (pg-boss would archive them after 12 h).
  const retention = { archiveFailedAfterSeconds: DEAD_JOBS_KEPT_SECONDS };
  const boss =
    database.driver === 'postgres'
      ? new PgBoss({ connectionString: database.connectionString, max: 4, ...retention })
      : new PgBoss({ db: { executeSql: (text, values) => database.executeSql(text, values) }, ...retention });
  boss.on('error', options.onError);
  await boss.start();
  const registered = new Set<string>();
  const workers = new Map<string, QueueWorker>();
  const onJobFailed =
    options.onJobFailed ??
    ((queue: string, jobId: string, failure: JobFailure) =>
      options.onError(new Error(`job ${jobId} (${queue}) failed: ${failure.message}`)));

  const jobs: Jobs = {
    boss,
    workers,
    async send(definition, payload, sendOptions = {}) {
      // A payload is stored as jsonb: text it refuses (NUL) would fail the caller's whole transaction.
      const data = databaseSafe(definition.payload.parse(payload)) as object;
      if (!registered.has(definition.name))
        throw new Error(`job type ${definition.name} was not registered at start`);
      const priority = sendOptions.priority ?? definition.priority;
      return boss.send(definition.name, data, {
        retryLimit: definition.retryLimit ?? 5,
        retryBackoff: true,
        // Higher first; the workers fetch by priority, then age.
        ...(priority ? { priority } : {}),
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
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
        if (workers.has(definition.name)) continue;
        workers.set(
          definition.name,
          startQueueWorker({
            boss,
            queue: definition.name,
            batchSize: options.batchSize ?? 10,
            pollingIntervalMs: (options.pollingIntervalSeconds ?? 2) * 1000,
            run: (data) => definition.handle(definition.payload.parse(data)),
            log: { failed: onJobFailed, error: (message) => options.onError(new Error(message)) },
          }),
        );
      }
    },
    async stop() {
      await Promise.all([...workers.values()].map((worker) => worker.stop(STOP_TIMEOUT_MS)));
      await boss.stop({ graceful: true, close: true, timeout: STOP_TIMEOUT_MS });
    },
  };
  return jobs;
}
