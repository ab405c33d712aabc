import type PgBoss from 'pg-boss';
import { type JobFailure, jobFailure } from './failure.ts';

/**
 * One queue's worker loop over pg-boss's fetch, complete and fail. pg-boss's own `work()` is not used
 * because of how it ends a batch: it calls `complete`/`fail` without awaiting them, with the raw error,
 * so a failure that cannot be recorded (a NUL in the message) became an unhandled rejection that ended
 * the process, and it waits a full polling interval after every fetch, however many jobs wait.
 *
 * Here every job is settled on its own (one job's failure never fails its batch-mates), every call is
 * awaited and caught, the stored failure is `jobFailure(error)`, and the loop fetches again at once while
 * fetches return jobs: it sleeps only when the queue is empty.
 */

export type WorkerLog = {
  failed(queue: string, jobId: string, failure: JobFailure): void;
  error(message: string): void;
};

export type QueueWorker = {
  /** How many fetches the loop made (tests check that a backlog drains without waiting between fetches). */
  readonly fetches: number;
  /** Finishes the fetched jobs (up to `timeoutMs`), then stops; any left are failed, to run again. */
  stop(timeoutMs: number): Promise<void>;
};

type WorkerOptions = {
  boss: PgBoss;
  queue: string;
  batchSize: number;
  pollingIntervalMs: number;
  run(data: unknown): Promise<void>;
  log: WorkerLog;
};

const describe = (error: unknown) => jobFailure(error).message;

/** Rejects after `ms` (the job's expiry, as pg-boss does), without keeping the process alive. */
function deadline(ms: number): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the job ran longer than ${Math.round(ms / 1000)} s`)), ms);
    timer.unref();
  });
  return { promise, clear: () => clearTimeout(timer) };
}

export function startQueueWorker(options: WorkerOptions): QueueWorker {
  const { boss, queue, log } = options;
  let fetches = 0;
  let stopping = false;
  let wake: (() => void) | undefined;
  /** Jobs fetched and not yet settled: what a stop that times out hands back. */
  const held = new Set<string>();

  async function settle(job: PgBoss.Job<unknown>): Promise<void> {
    const limit = deadline(Math.max(1, job.expireInSeconds || 900) * 1000);
    try {
      await Promise.race([options.run(job.data), limit.promise]);
      await boss.complete(queue, job.id);
    } catch (error) {
      const failure = jobFailure(error);
      log.failed(queue, job.id, failure);
      // Retried with back-off until the retry limit, then kept as `failed` for admins (see failed.ts).
      await boss
        .fail(queue, job.id, failure)
        .catch((cause: unknown) =>
          log.error(`could not record the failure of job ${job.id} (${queue}): ${describe(cause)}`),
        );
    } finally {
      limit.clear();
    }
  }

  async function sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }

  const loop = (async () => {
    while (!stopping) {
      let batch: PgBoss.JobWithMetadata<unknown>[] = [];
      try {
        const fetched = await boss.fetch<unknown>(queue, {
          batchSize: options.batchSize,
          priority: true,
          includeMetadata: true,
        });
        // The fetch picks the batch by priority, then age, but returns it in no particular order.
        batch = (fetched ?? []).sort(
          (a, b) =>
            b.priority - a.priority || new Date(a.createdOn).getTime() - new Date(b.createdOn).getTime(),
        );
        fetches += 1;
      } catch (error) {
        log.error(`fetching jobs of ${queue} failed: ${describe(error)}`);
      }
      for (const job of batch) held.add(job.id);
      // A stop lets the fetched batch finish (within its timeout): these jobs are already taken.
      for (const job of batch) {
        await settle(job).catch((error: unknown) => log.error(`job ${job.id}: ${describe(error)}`));
        held.delete(job.id);
      }
      if (batch.length === 0 && !stopping) await sleep(options.pollingIntervalMs);
    }
  })();

  async function releaseJobs(ids: string[]): Promise<void> {
    const failure: JobFailure = { name: 'Stopped', message: 'the server stopped before the job finished' };
    for (const id of ids) {
      await boss
        .fail(queue, id, failure)
        .catch((error: unknown) => log.error(`could not release job ${id} (${queue}): ${describe(error)}`));
    }
  }

  return {
    get fetches() {
      return fetches;
    },
    async stop(timeoutMs) {
      stopping = true;
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([loop.then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      if (result === 'timeout' && held.size > 0) await releaseJobs([...held]);
    },
  };
}
