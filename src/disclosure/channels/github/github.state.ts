import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../../core/config/config.ts';
import { databaseSafe, type Queryable } from '../../../core/db/index.ts';
import { settings } from '../../../core/settings/tables.ts';
import type { GithubStatusView } from './github.schemas.ts';

/**
 * What the GitHub import last did, kept in one `settings` row so every process (the one polling, the
 * one answering GET /github/status) sees the same thing, and a restart does not forget a rate limit.
 */

const STATE_KEY = 'disclosure.github.import-state';

const RepositoryState = z.object({
  repository: z.string(),
  checkedAt: z.string().nullable(),
  waitingReports: z.number().int().nullable(),
  imported: z.number().int(),
  error: z.string().nullable(),
});
export type RepositoryState = z.infer<typeof RepositoryState>;

const ImportState = z.object({
  lastPollAt: z.string().nullable().default(null),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable().default(null),
  rateLimitedUntil: z.string().nullable().default(null),
  lastWebhookAt: z.string().nullable().default(null),
  repositories: z.array(RepositoryState).default([]),
});
export type ImportState = z.infer<typeof ImportState>;

export type GithubImportSettings = {
  apiUrl: string;
  token: string | undefined;
  repositories: string[];
  pollMinutes: number;
  webhookSecret: string | undefined;
  /** Polling runs: a token and at least one repository. */
  polling: boolean;
  /** The webhook accepts deliveries: a secret and at least one repository. */
  webhook: boolean;
};

export function githubImportSettings(config: Config): GithubImportSettings {
  const repositories = config.githubRepositories;
  return {
    apiUrl: config.githubApiUrl,
    token: config.githubToken,
    repositories,
    pollMinutes: config.githubPollMinutes,
    webhookSecret: config.githubWebhookSecret,
    polling: Boolean(config.githubToken) && repositories.length > 0,
    webhook: Boolean(config.githubWebhookSecret) && repositories.length > 0,
  };
}

/** The configured spelling of `owner/repo` (GitHub names are case-insensitive), or undefined. */
export function configuredRepository(settingsOf: GithubImportSettings, fullName: string): string | undefined {
  const wanted = fullName.toLowerCase();
  return settingsOf.repositories.find((name) => name.toLowerCase() === wanted);
}

export async function readImportState(q: Queryable): Promise<ImportState> {
  const [row] = await q.select().from(settings).where(eq(settings.key, STATE_KEY));
  const parsed = ImportState.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : ImportState.parse({});
}

export async function writeImportState(q: Queryable, unsafe: ImportState): Promise<void> {
  // Error messages quote GitHub's answers: nothing PostgreSQL refuses may reach the jsonb column.
  const state = databaseSafe(unsafe);
  await q
    .insert(settings)
    .values({ key: STATE_KEY, value: state })
    .onConflictDoUpdate({ target: settings.key, set: { value: state, updatedAt: new Date() } });
}

/** Records a webhook delivery that was accepted (signature valid), whatever it led to. */
export async function noteWebhookDelivery(q: Queryable, at: Date): Promise<void> {
  const state = await readImportState(q);
  await writeImportState(q, { ...state, lastWebhookAt: at.toISOString() });
}

/** Whether a poll is due: the interval has passed since the last one, and no rate limit holds. */
export function pollIsDue(state: ImportState, pollMinutes: number, now: Date): boolean {
  if (state.rateLimitedUntil && new Date(state.rateLimitedUntil) > now) return false;
  if (!state.lastPollAt) return true;
  // A little slack, so a poll scheduled every minute does not slip by one minute each time.
  return now.getTime() - new Date(state.lastPollAt).getTime() >= pollMinutes * 60_000 - 5_000;
}

export function statusView(settingsOf: GithubImportSettings, state: ImportState): GithubStatusView {
  const known = new Map(state.repositories.map((entry) => [entry.repository, entry]));
  return {
    polling: settingsOf.polling,
    webhook: settingsOf.webhook,
    apiUrl: settingsOf.apiUrl,
    pollMinutes: settingsOf.pollMinutes,
    repositories: settingsOf.repositories.map(
      (repository) =>
        known.get(repository) ?? {
          repository,
          checkedAt: null,
          waitingReports: null,
          imported: 0,
          error: null,
        },
    ),
    lastPollAt: state.lastPollAt,
    lastError: state.lastError,
    rateLimitedUntil: state.rateLimitedUntil,
    lastWebhookAt: state.lastWebhookAt,
  };
}
