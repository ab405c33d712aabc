import { and, gte, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import { trustPageViews } from '../tables.ts';

/** How often pending counts are written: one batched upsert every few seconds, whatever the traffic. */
export const PAGE_VIEW_FLUSH_MS = 5_000;

/**
 * Public page views counted in memory and written in batches, so serving a cached page costs one map
 * increment and never waits on the database. Cookie-free and anonymous: only (day, path) → count.
 * A crash loses at most the last few seconds of counts, which is fine for analytics.
 */
export class PageViewCounter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly q: Queryable,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Counts one view of `path` (without locale) on `day` (UTC, YYYY-MM-DD). */
  count(day: string, path: string): void {
    const key = `${day}|${path}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, PAGE_VIEW_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes pending counts (one upsert for all of them); flushes run one after another. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const rows = [...batch].map(([key, views]) => {
      const at = key.indexOf('|');
      return { day: key.slice(0, at), path: key.slice(at + 1), views };
    });
    try {
      await this.q
        .insert(trustPageViews)
        .values(rows)
        .onConflictDoUpdate({
          target: [trustPageViews.day, trustPageViews.path],
          set: { views: sql`${trustPageViews.views} + excluded.views` },
        });
    } catch (error) {
      // Counts are not worth failing anything for: put them back for the next flush.
      for (const [key, views] of this.pending) batch.set(key, (batch.get(key) ?? 0) + views);
      this.pending = batch;
      this.warn(`page views not written: ${(error as Error).message}`);
    }
  }
}

const counters = new WeakMap<AppContext, PageViewCounter>();

/** The one counter of an app: the public site counts into it, the analytics flush it before reading. */
export function pageViewsOf(ctx: AppContext): PageViewCounter {
  let counter = counters.get(ctx);
  if (!counter) {
    counter = new PageViewCounter(ctx.database.db, ctx.warn);
    counters.set(ctx, counter);
  }
  return counter;
}

/** Views per day and path in [from, to) (days as YYYY-MM-DD). */
export async function findPageViews(q: Queryable, from: string, toExclusive: string) {
  return q
    .select({ day: trustPageViews.day, path: trustPageViews.path, views: trustPageViews.views })
    .from(trustPageViews)
    .where(and(gte(trustPageViews.day, from), lt(trustPageViews.day, toExclusive)));
}
