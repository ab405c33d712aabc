import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import type { JobDefinition } from '../../../core/jobs/index.ts';
import { type ImportLogger, pollGithubAdvisories } from './github.service.ts';
import { githubImportSettings, pollIsDue, readImportState } from './github.state.ts';

export const GITHUB_POLL_JOB = 'disclosure.github-poll';
/**
 * The schedule ticks every minute and the job decides whether a poll is due (DISCLOSURE_GITHUB_POLL_MINUTES
 * since the last one, no rate limit holding): any interval works, not only divisors of an hour, and
 * pg-boss keeps one schedule per name however many processes start.
 */
const EVERY_MINUTE = '* * * * *';

export function githubPollJob(ctx: AppContext, log: ImportLogger): JobDefinition<z.ZodType> {
  return {
    name: GITHUB_POLL_JOB,
    payload: z.object({}).passthrough(),
    // The next tick is the retry: a failed poll must not run again at once against a struggling GitHub.
    retryLimit: 0,
    handle: async () => {
      const settings = githubImportSettings(ctx.config);
      if (!settings.polling) return;
      const state = await readImportState(ctx.database.db);
      if (!pollIsDue(state, settings.pollMinutes, new Date())) return;
      await pollGithubAdvisories(ctx, { log });
    },
  };
}

/** Defines the poll job and schedules it when polling is configured (unschedules it otherwise). */
export async function defineGithubJobs(ctx: AppContext, log: ImportLogger): Promise<void> {
  await ctx.jobs.define([githubPollJob(ctx, log)]);
  if (githubImportSettings(ctx.config).polling) {
    await ctx.jobs.boss.schedule(GITHUB_POLL_JOB, EVERY_MINUTE, {}, { tz: 'UTC' });
  } else {
    await ctx.jobs.boss.unschedule(GITHUB_POLL_JOB);
  }
}
