import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase } from '../../src/core/db/index.ts';
import { type JobDefinition, type Jobs, startJobs } from '../../src/core/jobs/index.ts';
import { createThrowawayDatabase } from '../helpers/database.ts';

const Payload = z.strictObject({ label: z.string() });

/** A job type that records what it handled, so a test can see which jobs ran. */
function recordingJob(name: string): JobDefinition<typeof Payload> & { handled: string[] } {
  const handled: string[] = [];
  return {
    name,
    payload: Payload,
    retryLimit: 0,
    handled,
    handle: async ({ label }) => void handled.push(label),
  };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The database the test runs on: a PGlite folder on disk, or a throw-away PostgreSQL database. */
async function durableDatabase() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-jobs-'));
  const throwaway = process.env.DATABASE_URL
    ? await createThrowawayDatabase(process.env.DATABASE_URL)
    : undefined;
  return {
    open: () => openDatabase({ databaseUrl: throwaway?.url, dataDir }),
    drop: async () => {
      await throwaway?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const quietly = { onError: () => undefined, pollingIntervalSeconds: 0.5 };

async function jobRows(database: Database, name: string): Promise<{ label: string; state: string }[]> {
  const { rows } = await database.executeSql(
    `select data->>'label' as label, state from pgboss.job where name = $1`,
    [name],
  );
  return rows as { label: string; state: string }[];
}

describe('jobs sent inside a transaction', () => {
  let store: Awaited<ReturnType<typeof durableDatabase>>;
  let database: Database;
  let jobs: Jobs;
  const job = recordingJob('test.transactional');
  beforeAll(async () => {
    store = await durableDatabase();
    database = await store.open();
    jobs = await startJobs(database, quietly);
    await jobs.register([job]);
    await jobs.work([job]);
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.close();
    await store?.drop();
  });

  it('never runs a job whose transaction rolled back, and runs one whose transaction committed', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await jobs.send(job, { label: 'rolled back' }, { tx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await database.db.transaction(async (tx) => {
      await jobs.send(job, { label: 'committed' }, { tx });
    });
    await waitFor(() => job.handled.includes('committed'));
    // A worker that has picked up the later job has had every chance at the earlier one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(job.handled).toEqual(['committed']);
    expect((await jobRows(database, job.name)).map((row) => row.label)).toEqual(['committed']);
  });

  it('refuses a payload that does not match the job definition', async () => {
    await expect(jobs.send(job, { label: 42 } as unknown as { label: string })).rejects.toThrow();
  });

  it('refuses a job type that was not registered at start', async () => {
    await expect(jobs.send(recordingJob('test.unregistered'), { label: 'x' })).rejects.toThrow(
      /not registered/,
    );
  });
});

describe('jobs across a restart', () => {
  let store: Awaited<ReturnType<typeof durableDatabase>>;
  beforeAll(async () => {
    store = await durableDatabase();
  });
  afterAll(() => store?.drop());

  it('runs a job sent before a restart on the next start (durable)', async () => {
    const job = recordingJob('test.durable');
    // 1. A process without workers enqueues, then stops (like a CLI command, or a crash before work).
    const first = await store.open();
    const sender = await startJobs(first, quietly);
    await sender.register([job]);
    await first.db.transaction(async (tx) => {
      await sender.send(job, { label: 'survives restart' }, { tx });
    });
    await sender.stop();
    await first.close();
    expect(job.handled).toEqual([]);

    // 2. A new process on the same database picks it up.
    const second = await store.open();
    const worker = await startJobs(second, quietly);
    try {
      await worker.register([job]);
      await worker.work([job]);
      await waitFor(() => job.handled.length > 0);
      expect(job.handled).toEqual(['survives restart']);
      await waitFor(async () => (await jobRows(second, job.name))[0]?.state === 'completed');
    } finally {
      await worker.stop();
      await second.close();
    }
  });
});
