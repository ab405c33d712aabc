import { createHmac, hkdfSync } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import { lt, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/index.ts';
import type { Database } from '../db/index.ts';
import { rateLimitCounters } from './tables.ts';

/**
 * Where @fastify/rate-limit counts, chosen per route. Write routes (anything but GET/HEAD) count in the
 * database, so N processes on one PostgreSQL allow a write limit once, not N times; reads keep counting
 * in each process's memory (@fastify/rate-limit's LocalStore), so a page view never waits on the
 * database. Routes without a limit of their own share the process-local default counter: the per-route
 * limits are the ones that guard public writes (sign-in, forms, access requests), and each has one.
 *
 * The one place to change how limits are counted: app.ts passes `rateLimitStore(...)` as `store`.
 */

/** Counts one hit on `key` in a fixed window of `windowMs`: the hits so far and the window's rest (ms). */
export type SharedCounter = (key: string, windowMs: number) => Promise<{ current: number; ttl: number }>;

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
type ChildParams = {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  routeInfo?: { method?: string | string[]; url?: string };
};

const READS = new Set(['GET', 'HEAD']);

/** A store class for @fastify/rate-limit's `store` option, counting write routes with `count`. */
export function rateLimitStore(count: SharedCounter): FastifyRateLimitStoreCtor {
  class RouteAwareStore implements FastifyRateLimitStore {
    private readonly local: FastifyRateLimitStore;
    constructor(
      params: ChildParams,
      /** Set for a write route: the route's name, which prefixes its keys in the shared table. */
      private readonly sharedScope?: string,
    ) {
      this.local = new LocalStore(params.continueExceeding ?? false, params.exponentialBackoff ?? false);
    }

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      if (this.sharedScope === undefined) {
        this.local.incr(key, callback, timeWindow, max);
        return;
      }
      count(`${this.sharedScope} ${key}`, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    child(routeOptions: unknown): FastifyRateLimitStore {
      const params = routeOptions as ChildParams;
      const methods = [params.routeInfo?.method ?? []].flat();
      const writes = methods.some((method) => !READS.has(method));
      const scope = writes ? `${methods.join(',')} ${params.routeInfo?.url ?? ''}` : undefined;
      return new RouteAwareStore(params, scope);
    }
  }
  return RouteAwareStore as unknown as FastifyRateLimitStoreCtor;
}

/** How often a process deletes counters whose window ended (one statement, at most this often). */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * A fixed-window counter in `rate_limit_counters`, one atomic upsert per hit (concurrent hits from any
 * process queue on the row, so the count is exact). Times come from the database's clock, so processes
 * whose clocks differ still agree on a window. Client addresses are personal data: the key holds an
 * HMAC of them under a key derived from the data key.
 */
export function databaseCounter(database: Database, keyring: Keyring): SharedCounter {
  const macKey = Buffer.from(hkdfSync('sha256', keyring.current.key, 'attest', 'core.http.rate-limit', 32));
  let lastSweep = 0;
  return async (key, windowMs) => {
    const [scope, client] = splitKey(key);
    const hashed = `${scope} ${createHmac('sha256', macKey).update(client).digest('base64url')}`;
    const now = Date.now();
    if (now - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = now;
      await database.db
        .delete(rateLimitCounters)
        .where(lt(rateLimitCounters.windowEndsAt, sql`clock_timestamp()`));
    }
    const ends = sql`clock_timestamp() + ${Math.max(1, Math.trunc(windowMs))} * interval '1 millisecond'`;
    const expired = sql`${rateLimitCounters.windowEndsAt} <= clock_timestamp()`;
    const [row] = await database.db
      .insert(rateLimitCounters)
      .values({ key: hashed, hits: 1, windowEndsAt: ends })
      .onConflictDoUpdate({
        target: rateLimitCounters.key,
        set: {
          hits: sql`case when ${expired} then 1 else least(${rateLimitCounters.hits} + 1, 1000000000) end`,
          windowEndsAt: sql`case when ${expired} then excluded.window_ends_at else ${rateLimitCounters.windowEndsAt} end`,
        },
      })
      .returning({
        hits: rateLimitCounters.hits,
        ttl: sql<number>`(extract(epoch from (${rateLimitCounters.windowEndsAt} - clock_timestamp())) * 1000)::float8`,
      });
    if (!row) throw new Error('rate-limit upsert returned nothing');
    return { current: row.hits, ttl: Math.max(0, Math.round(Number(row.ttl))) };
  };
}

/** `<methods> <url> <client>`: the client part (address, maybe a group id) is the last space-free word. */
function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf(' ');
  return [key.slice(0, at), key.slice(at + 1)];
}
