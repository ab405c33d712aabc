import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../../core/context.ts';
import { GithubApiError, type GithubClientOptions, listTriageAdvisories } from './github.client.ts';
import { importGithubAdvisory } from './github.import.ts';
import {
  githubImportSettings,
  type ImportState,
  type RepositoryState,
  readImportState,
  writeImportState,
} from './github.state.ts';

/**
 * Polling GitHub for private vulnerability reports: every configured repository's advisories in state
 * `triage` are imported (see github.import.ts). A repository that fails (token, permission, missing
 * repository, GitHub down) is logged and shown in the status, and the others are still polled; an
 * exhausted rate limit stops the poll and holds the next ones until GitHub's reset time.
 */

export type ImportLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

const silent: ImportLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export type PollOptions = {
  log?: ImportLogger;
  now?: () => Date;
  /** Test seams for the HTTP client (see GithubClientOptions). */
  client?: Pick<GithubClientOptions, 'fetch' | 'sleep' | 'maxRateLimitWaitMs'>;
};

export type PollResult = {
  status: 'disabled' | 'rate-limited' | 'polled';
  imported: number;
  alreadyImported: number;
  errors: string[];
  rateLimitedUntil: string | null;
};

type RepositoryPoll = { entry: RepositoryState; imported: number; alreadyImported: number; errors: string[] };

async function pollRepository(
  ctx: AppContext,
  client: GithubClientOptions,
  repository: string,
  log: ImportLogger,
  now: Date,
): Promise<RepositoryPoll & { retryAt?: Date }> {
  const result: RepositoryPoll = {
    entry: { repository, checkedAt: now.toISOString(), waitingReports: 0, imported: 0, error: null },
    imported: 0,
    alreadyImported: 0,
    errors: [],
  };
  const fail = (message: string) => {
    result.errors.push(message);
    result.entry.error = message;
  };
  try {
    for await (const page of listTriageAdvisories(client, repository)) {
      result.entry.waitingReports = (result.entry.waitingReports ?? 0) + page.length;
      for (const raw of page) {
        const outcome = await importGithubAdvisory(ctx, repository, raw);
        if (outcome.outcome === 'imported') {
          result.imported += 1;
          result.entry.imported += 1;
          log.info(
            { repository, ghsaId: outcome.report.sourceRef, reportNumber: outcome.report.number },
            'imported a GitHub private vulnerability report',
          );
        } else if (outcome.outcome === 'already-imported') {
          result.alreadyImported += 1;
        } else {
          log.warn({ repository }, outcome.message);
          fail(outcome.message);
        }
      }
    }
  } catch (error) {
    if (error instanceof GithubApiError) {
      log.error({ repository, kind: error.kind, status: error.status }, error.message);
      fail(error.message);
      // Counted only when the whole listing was read.
      result.entry.waitingReports = null;
      return { ...result, retryAt: error.kind === 'rate-limited' ? error.retryAt : undefined };
    }
    // Our side failed (database, a bug): the details go to the log, not to the status others read.
    log.error({ err: error, repository }, 'importing GitHub private vulnerability reports failed');
    result.entry.waitingReports = null;
    fail(`Importing the reports of ${repository} failed unexpectedly; the server log has the details.`);
  }
  return result;
}

/**
 * Polls every configured repository once, now (the job calls it when a poll is due; tests call it
 * directly). Never throws for GitHub's failures: they are logged and kept in the import state.
 */
export async function pollGithubAdvisories(ctx: AppContext, options: PollOptions = {}): Promise<PollResult> {
  const settings = githubImportSettings(ctx.config);
  const log = options.log ?? silent;
  const empty = { imported: 0, alreadyImported: 0, errors: [] as string[], rateLimitedUntil: null };
  if (!settings.polling || !settings.token) return { status: 'disabled', ...empty };
  const now = options.now?.() ?? new Date();
  const before = await readImportState(ctx.database.db);
  if (before.rateLimitedUntil && new Date(before.rateLimitedUntil) > now) {
    log.warn(
      { rateLimitedUntil: before.rateLimitedUntil },
      'GitHub poll skipped: the rate limit has not reset yet',
    );
    return { status: 'rate-limited', ...empty, rateLimitedUntil: before.rateLimitedUntil };
  }

  const client: GithubClientOptions = {
    apiUrl: settings.apiUrl,
    token: settings.token,
    userAgent: `Attest/${ctx.config.version} (vulnerability disclosure import)`,
    now: options.now,
    ...options.client,
  };
  const previous = new Map(before.repositories.map((entry) => [entry.repository, entry]));
  const entries: RepositoryState[] = [];
  const total: PollResult = { status: 'polled', ...empty };
  let retryAt: Date | undefined;
  for (const repository of settings.repositories) {
    if (retryAt) {
      // Not asked this time: keep what is known from the previous poll.
      const known = previous.get(repository);
      if (known) entries.push(known);
      continue;
    }
    const polled = await pollRepository(ctx, client, repository, log, now);
    entries.push(polled.entry);
    total.imported += polled.imported;
    total.alreadyImported += polled.alreadyImported;
    total.errors.push(...polled.errors);
    retryAt = polled.retryAt;
  }
  total.rateLimitedUntil = retryAt?.toISOString() ?? null;

  // Re-read: a webhook delivery may have noted itself while the poll ran.
  const latest = await readImportState(ctx.database.db);
  const lastError = total.errors.at(-1);
  const state: ImportState = {
    ...latest,
    lastPollAt: now.toISOString(),
    lastError: lastError ? { at: now.toISOString(), message: lastError } : latest.lastError,
    rateLimitedUntil: total.rateLimitedUntil,
    repositories: entries,
  };
  await writeImportState(ctx.database.db, state);
  log.info(
    { imported: total.imported, errors: total.errors.length, rateLimitedUntil: total.rateLimitedUntil },
    'GitHub poll done',
  );
  return total;
}
