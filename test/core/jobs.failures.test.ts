import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase } from '../../src/core/db/index.ts';
import { listFailedJobs } from '../../src/core/jobs/failed.ts';
import { JOB_PRIORITY, type JobDefinition, type Jobs, startJobs } from '../../src/core/jobs/index.ts';
import { createThrowawayDatabase } from '../helpers/database.ts';

const Payload = z.strictObject({ label: z.string() });
type TestJob = JobDefinition<typeof Payload> & { handled: string[] };

function job(name: string, handle: (label: string) => Promise<void> | void, retryLimit = 0): TestJob {
  const handled: string[] = [];
  return {
    name,
    payload: Payload,
    retryLimit,
    handled,
    handle: async ({ label }) => {
      await handle(label);
      handled.push(label);
    },
  };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function states(database: Database, name: string): Promise<Record<string, string>> {
  const { rows } = await database.executeSql(
    `select data->>'label' as label, state from pgboss.job where name = $1`,
    [name],
  );
  return Object.fromEntries((rows as { label: string; state: string }[]).map((r) => [r.label, r.state]));
}

describe('job failures never end the process', () => {
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabase>> | undefined;
  let database: Database;
  let jobs: Jobs;
  const errors: string[] = [];
  const failures: { queue: string; message: string }[] = [];

  beforeAll(async () => {
    throwaway = process.env.DATABASE_URL
      ? await createThrowawayDatabase(process.env.DATABASE_URL)
      : undefined;
    database = await openDatabase({ databaseUrl: throwaway?.url, dataDir: 'memory://' });
    jobs = await startJobs(database, {
      onError: (error) => errors.push(error.message),
      onJobFailed: (queue, _id, failure) => failures.push({ queue, message: failure.message }),
      pollingIntervalSeconds: 0.5,
    });
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.close();
    await throwaway?.drop();
  });

  it('records a failure whose error jsonb would refuse (NUL, huge, with query parameters), then parks the job as dead', async () => {
    // The error pg-boss used to store as it was: its `fail` then failed (22P05), unawaited, and the
    // unhandled rejection ended the process.
    const poison = job(
      'test.poison',
      (label) => {
        const cause = Object.assign(
          new Error(`invalid byte sequence for encoding "UTF8": 0x00 in ${label}`),
          {
            code: '22021',
          },
        );
        throw Object.assign(new Error(`Failed query: insert … params: secret-token,${label}\u0000`), {
          cause,
          params: ['secret-token', `${label}\u0000`],
          big: 'x'.repeat(2_000_000),
        });
      },
      1,
    );
    await jobs.register([poison]);
    await jobs.work([poison]);
    await jobs.send(poison, { label: 'poison\u0000subject' });
    await waitFor(async () => (await states(database, poison.name))['poison\uFFFDsubject'] === 'failed');

    const { items } = await listFailedJobs(database, { limit: 10, queue: poison.name });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ queue: poison.name, state: 'dead', attempts: 2, maxAttempts: 2 });
    expect(items[0]?.error).toEqual({
      name: 'Error',
      message: 'invalid byte sequence for encoding "UTF8": 0x00 in poison\uFFFDsubject',
      code: '22021',
    });
    // Nothing of the query's parameters was kept.
    const { rows } = await database.executeSql(
      'select output::text as output from pgboss.job where name = $1',
      [poison.name],
    );
    expect(JSON.stringify(rows)).not.toContain('secret-token');
    expect(failures.filter((f) => f.queue === poison.name)).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('settles each job of a batch on its own: one bad job does not fail the others', async () => {
    const mixed = job('test.mixed', (label) => {
      if (label === 'bad') throw new Error('bad job');
    });
    await jobs.register([mixed]);
    for (const label of ['one', 'bad', 'two', 'three']) await jobs.send(mixed, { label });
    await jobs.work([mixed]);
    await waitFor(
      async () =>
        Object.keys(await states(database, mixed.name)).length === 4 &&
        Object.values(await states(database, mixed.name)).every((s) => s === 'completed' || s === 'failed'),
    );
    expect(await states(database, mixed.name)).toEqual({
      one: 'completed',
      bad: 'failed',
      two: 'completed',
      three: 'completed',
    });
    expect(mixed.handled.sort()).toEqual(['one', 'three', 'two']);
  });

  it('runs a job with a payload holding NUL instead of refusing the send', async () => {
    const plain = job('test.nul-payload', () => undefined);
    await jobs.register([plain]);
    await jobs.work([plain]);
    await database.db.transaction(async (tx) => {
      await jobs.send(plain, { label: 'a\u0000b' }, { tx });
    });
    await waitFor(() => plain.handled.length === 1);
    expect(plain.handled).toEqual(['a\uFFFDb']);
  });
});

describe('workers drain a backlog and honour priority', () => {
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabase>> | undefined;
  let database: Database;
  let jobs: Jobs;

  beforeAll(async () => {
    throwaway = process.env.DATABASE_URL
      ? await createThrowawayDatabase(process.env.DATABASE_URL)
      : undefined;
    database = await openDatabase({ databaseUrl: throwaway?.url, dataDir: 'memory://' });
    // The production polling interval: before, every fetch of one job was followed by a 2 s wait.
    jobs = await startJobs(database, { onError: () => undefined, pollingIntervalSeconds: 2 });
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.close();
    await throwaway?.drop();
  });

  it('runs 50 queued jobs in far fewer polls than jobs, without waiting between fetches', async () => {
    const backlog = job('test.backlog', () => undefined);
    await jobs.register([backlog]);
    for (let i = 0; i < 50; i += 1) await jobs.send(backlog, { label: `mail ${i}` });
    const started = Date.now();
    await jobs.work([backlog]);
    // 50 × 2 s = 100 s at one job per poll; the limit leaves room for a slow machine, not for that.
    await waitFor(() => backlog.handled.length === 50, 40_000);
    const fetches = jobs.workers.get(backlog.name)?.fetches ?? Number.POSITIVE_INFINITY;
    expect(fetches).toBeLessThanOrEqual(10);
    expect(Date.now() - started).toBeLessThan(40_000);
  }, 60_000);

  it('runs higher-priority jobs first, from the definition or from send', async () => {
    const mail = { ...job('test.priority', () => undefined), priority: JOB_PRIORITY.normal };
    await jobs.register([mail]);
    for (let i = 0; i < 5; i += 1)
      await jobs.send(mail, { label: `bulk ${i}` }, { priority: JOB_PRIORITY.bulk });
    await jobs.send(mail, { label: 'normal' });
    await jobs.send(mail, { label: 'password reset' }, { priority: JOB_PRIORITY.critical });
    await jobs.work([mail]);
    await waitFor(() => mail.handled.length === 7);
    expect(mail.handled.slice(0, 2)).toEqual(['password reset', 'normal']);
  });
});
