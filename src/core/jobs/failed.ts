import type { Database } from '../db/index.ts';
import { type JobFailure, jobFailure } from './failure.ts';

/**
 * Failed jobs, for admins: `dead` ones used every attempt and wait for a decision (retry or discard);
 * `retrying` ones failed at least once and will run again after their back-off. Never the payload: it
 * may hold a rendered message, an address or a link.
 */

export type FailedJobState = 'dead' | 'retrying';

export type FailedJob = {
  id: string;
  queue: string;
  state: FailedJobState;
  /** Attempts made so far (the first run and its retries). */
  attempts: number;
  /** Attempts allowed in all. */
  maxAttempts: number;
  error: JobFailure;
  createdAt: string;
  /** When the last attempt failed (dead jobs), or null. */
  failedAt: string | null;
  /** When the next attempt may run (retrying jobs), or null. */
  nextAttemptAt: string | null;
};

type Row = {
  id: string;
  name: string;
  state: 'retry' | 'failed';
  retry_count: number;
  retry_limit: number;
  output: unknown;
  created_on: Date | string;
  completed_on: Date | string | null;
  start_after: Date | string;
};

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The stored output, whatever wrote it: our `jobFailure`, an older full error, or pg-boss's `{ value }`. */
function storedFailure(output: unknown): JobFailure {
  const value = (output as { value?: unknown } | null)?.value;
  const error = value && typeof value === 'object' && !('message' in (output as object)) ? value : output;
  if (!error || typeof error !== 'object') return { name: 'Error', message: 'no error was recorded' };
  return jobFailure(error);
}

function view(row: Row): FailedJob {
  const dead = row.state === 'failed';
  return {
    id: row.id,
    queue: row.name,
    state: dead ? 'dead' : 'retrying',
    // A retrying job's count already includes the run that failed; a dead one's too.
    attempts: Number(row.retry_count) + 1,
    maxAttempts: Number(row.retry_limit) + 1,
    error: storedFailure(row.output),
    createdAt: iso(row.created_on) as string,
    failedAt: dead ? iso(row.completed_on) : null,
    nextAttemptAt: dead ? null : iso(row.start_after),
  };
}

const COLUMNS = 'id, name, state, retry_count, retry_limit, output, created_on, completed_on, start_after';
/** A `retry` job with an output has failed before (a first run has none). */
const FAILED = "(state = 'failed' or (state = 'retry' and output is not null))";

export async function listFailedJobs(
  database: Database,
  options: { limit: number; state?: FailedJobState; queue?: string; before?: string },
): Promise<{ items: FailedJob[]; nextCursor: string | null }> {
  const where = [FAILED];
  const values: unknown[] = [];
  if (options.state) where.push(options.state === 'dead' ? "state = 'failed'" : "state = 'retry'");
  if (options.queue) {
    values.push(options.queue);
    where.push(`name = $${values.length}`);
  }
  if (options.before) {
    // Newest first by creation, then id: the cursor is the last item's `createdAt|id`.
    const [at, id] = options.before.split('|');
    values.push(at, id);
    where.push(`(created_on, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(options.limit + 1);
  const { rows } = await database.executeSql(
    `select ${COLUMNS} from pgboss.job where ${where.join(' and ')}
     order by created_on desc, id desc limit $${values.length}`,
    values,
  );
  const items = (rows as Row[]).slice(0, options.limit).map(view);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > options.limit && last ? `${last.createdAt}|${last.id}` : null,
  };
}

export async function findFailedJob(database: Database, id: string): Promise<FailedJob | undefined> {
  const { rows } = await database.executeSql(
    `select ${COLUMNS} from pgboss.job where id = $1 and ${FAILED}`,
    [id],
  );
  const [row] = rows as Row[];
  return row ? view(row) : undefined;
}

/**
 * Runs a failed job again now: a dead one gets one more attempt (its retry limit is raised by one, as
 * pg-boss's own `retry` does), a retrying one skips the rest of its back-off. False when the job is no
 * longer failed (a worker took it meanwhile).
 */
export async function retryFailedJob(database: Database, job: FailedJob): Promise<boolean> {
  const { rows } = await database.executeSql(
    `update pgboss.job
     set retry_limit = case when state = 'failed' then retry_limit + 1 else retry_limit end,
       state = 'retry', start_after = now(), completed_on = null
     where id = $1 and name = $2 and ${FAILED} returning id`,
    [job.id, job.queue],
  );
  return rows.length > 0;
}

/** Deletes a failed job for good (unless a worker took it meanwhile); false when nothing was deleted. */
export async function discardFailedJob(database: Database, job: FailedJob): Promise<boolean> {
  const { rows } = await database.executeSql(
    `delete from pgboss.job where id = $1 and name = $2 and ${FAILED} returning id`,
    [job.id, job.queue],
  );
  return rows.length > 0;
}
