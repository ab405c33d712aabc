import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobDefinition } from '../../src/core/jobs/index.ts';
import { loginAs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';

const Payload = z.strictObject({ resetLink: z.string() });
const failing: JobDefinition<typeof Payload> = {
  name: 'test.always-fails',
  payload: Payload,
  retryLimit: 0,
  handle: async () => {
    throw new Error('the SMTP server said no');
  },
};

describe('failed jobs for admins (/api/v1/jobs/failed)', () => {
  let t: TestApp;
  let admin: SignedIn;

  async function deadJobId(): Promise<string> {
    const id = (await t.ctx.jobs.send(failing, { resetLink: 'https://x.test/reset?token=SECRET' })) as string;
    await t.ctx.jobs.boss.fail(failing.name, id, { name: 'Error', message: 'the SMTP server said no' });
    return id;
  }

  const call = (who: SignedIn | undefined, method: 'GET' | 'POST' | 'DELETE', url: string) =>
    t.app.inject({ method, url, headers: who?.headers ?? {}, remoteAddress: uniqueIp() });

  beforeAll(async () => {
    // No workers: the test fails jobs itself, so nothing runs behind its back.
    t = await buildTestApp();
    await t.ctx.jobs.register([failing as unknown as JobDefinition<z.ZodType>]);
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  it('lists a dead job with its queue, error, attempts and dates, never its payload', async () => {
    const id = await deadJobId();
    const res = await call(admin, 'GET', '/api/v1/jobs/failed?state=dead');
    expect(res.statusCode).toBe(200);
    const item = res.json().items.find((job: { id: string }) => job.id === id);
    expect(item).toMatchObject({
      id,
      queue: failing.name,
      state: 'dead',
      attempts: 1,
      maxAttempts: 1,
      error: { name: 'Error', message: 'the SMTP server said no' },
      nextAttemptAt: null,
    });
    expect(Date.parse(item.failedAt)).not.toBeNaN();
    expect(res.body).not.toContain('SECRET');
  });

  it('refuses every role but owner and admin, and anonymous callers', async () => {
    const id = await deadJobId();
    expect((await call(undefined, 'GET', '/api/v1/jobs/failed')).statusCode).toBe(401);
    for (const role of ['security', 'compliance', 'auditor', 'employee'] as const) {
      const user = await loginAs(t.app, t.ctx, role, { remoteAddress: uniqueIp() });
      expect((await call(user, 'GET', '/api/v1/jobs/failed')).statusCode, role).toBe(403);
      expect((await call(user, 'POST', `/api/v1/jobs/failed/${id}/retry`)).statusCode, role).toBe(403);
      expect((await call(user, 'DELETE', `/api/v1/jobs/failed/${id}`)).statusCode, role).toBe(403);
    }
    const owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
    expect((await call(owner, 'GET', '/api/v1/jobs/failed')).statusCode).toBe(200);
  });

  it('retries a dead job once more, audited', async () => {
    const id = await deadJobId();
    const res = await call(admin, 'POST', `/api/v1/jobs/failed/${id}/retry`);
    expect(res.statusCode).toBe(200);
    const { rows } = await t.ctx.database.executeSql(
      'select state, retry_limit, start_after <= now() as due from pgboss.job where id = $1',
      [id],
    );
    expect(rows).toEqual([{ state: 'retry', retry_limit: 1, due: true }]);
    const [entry] = (await auditEntries(t.ctx, 'jobs.failed.retried')).filter((e) => e.targetId === id);
    expect(entry).toMatchObject({ actorId: admin.made.user.id, targetType: 'job' });
    expect(entry?.details).toEqual({ queue: failing.name, state: 'dead', attempts: 1 });
    // Now it waits to run again: listed as retrying, and a second retry does not add another attempt.
    const listed = await call(admin, 'GET', '/api/v1/jobs/failed?state=retrying');
    expect(listed.json().items.map((job: { id: string }) => job.id)).toContain(id);
    expect((await call(admin, 'POST', `/api/v1/jobs/failed/${id}/retry`)).statusCode).toBe(200);
    const again = await t.ctx.database.executeSql('select retry_limit from pgboss.job where id = $1', [id]);
    expect(again.rows).toEqual([{ retry_limit: 1 }]);
  });

  it('discards a dead job for good, audited; an unknown id is 404', async () => {
    const id = await deadJobId();
    expect((await call(admin, 'DELETE', `/api/v1/jobs/failed/${id}`)).statusCode).toBe(204);
    const { rows } = await t.ctx.database.executeSql('select id from pgboss.job where id = $1', [id]);
    expect(rows).toEqual([]);
    expect((await auditEntries(t.ctx, 'jobs.failed.discarded')).map((e) => e.targetId)).toContain(id);
    expect((await call(admin, 'DELETE', `/api/v1/jobs/failed/${id}`)).statusCode).toBe(404);
    expect((await call(admin, 'POST', '/api/v1/jobs/failed/not-a-uuid/retry')).statusCode).toBe(422);
  });

  it('pages with a cursor', async () => {
    await deadJobId();
    await deadJobId();
    const first = await call(admin, 'GET', '/api/v1/jobs/failed?limit=1');
    expect(first.json().items).toHaveLength(1);
    const cursor = first.json().nextCursor as string;
    expect(cursor).toBeTruthy();
    const second = await call(
      admin,
      'GET',
      `/api/v1/jobs/failed?limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(second.statusCode).toBe(200);
    expect(second.json().items[0].id).not.toBe(first.json().items[0].id);
  });
});
