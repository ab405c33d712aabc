import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseCounter, rateLimitStore } from '../../src/core/http/rate-limit-store.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

type Store = {
  incr(key: string, cb: (e: Error | null, r?: { current: number }) => void, w: number, m: number): void;
};

function hit(store: Store, key: string): Promise<number> {
  return new Promise((resolve, reject) =>
    store.incr(key, (error, result) => (error ? reject(error) : resolve(result?.current ?? 0)), 60_000, 3),
  );
}

describe('the rate-limit store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  const route = (method: string) => ({ routeInfo: { method, url: '/api/v1/identity/login' } });

  it('counts a write route once across two processes sharing the database', async () => {
    // Two stores built as two processes would build them, one database between them.
    const Store = rateLimitStore(databaseCounter(t.ctx.database, t.ctx.keyring));
    const first = new Store({}).child(route('POST') as never) as unknown as Store;
    const second = new Store({}).child(route('POST') as never) as unknown as Store;
    expect(await hit(first, '203.0.113.7')).toBe(1);
    expect(await hit(second, '203.0.113.7')).toBe(2);
    expect(await hit(first, '203.0.113.7')).toBe(3);
    expect(await hit(second, '203.0.113.8')).toBe(1);
    const { rows } = await t.ctx.database.executeSql('select key from rate_limit_counters', []);
    expect(JSON.stringify(rows)).not.toContain('203.0.113');
  });

  it('keeps reads in each process, off the database', async () => {
    const Store = rateLimitStore(async () => {
      throw new Error('a read must not reach the database');
    });
    const first = new Store({}).child(route('GET') as never) as unknown as Store;
    const second = new Store({}).child(route('GET') as never) as unknown as Store;
    expect(await hit(first, '203.0.113.9')).toBe(1);
    expect(await hit(second, '203.0.113.9')).toBe(1);
  });
});
