import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import type { JobDefinition } from '../../core/jobs/index.ts';
import { refreshControlStatuses } from './status.store.ts';

export const STATUS_REFRESH_JOB = 'compliance.status-refresh';
/** Every 10 minutes: evidence expires with time alone, and the history should say when, not when someone looked. */
export const STATUS_REFRESH_CRON = '*/10 * * * *';

export function statusRefreshJob(ctx: AppContext, clock = () => new Date()): JobDefinition<z.ZodType> {
  return {
    name: STATUS_REFRESH_JOB,
    payload: z.object({}).passthrough(),
    retryLimit: 2,
    handle: async () => {
      await ctx.database.db.transaction((tx) => refreshControlStatuses(tx, { now: clock(), cause: 'time' }));
    },
  };
}

/** Registers the periodic refresh (pg-boss keeps one schedule per name, so every process may call this). */
export async function defineStatusJobs(ctx: AppContext): Promise<void> {
  await ctx.jobs.define([statusRefreshJob(ctx)]);
  await ctx.jobs.boss.schedule(STATUS_REFRESH_JOB, STATUS_REFRESH_CRON, {}, { tz: 'UTC' });
}
