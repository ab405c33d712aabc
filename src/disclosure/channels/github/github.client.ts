/**
 * A small client for the one GitHub REST endpoint the import needs: the repository security advisories
 * of a repository in state `triage`, which is where private vulnerability reports wait until a maintainer
 * accepts them. Plain `fetch`, API version 2022-11-28, cursor pagination through `Link: rel="next"`.
 * Every failure becomes a GithubApiError whose message says what to fix; nothing here throws anything else.
 */

export const GITHUB_API_VERSION = '2022-11-28';
const PER_PAGE = 100;
/** A repository with more waiting reports than this is not plausible; a loop of links is. */
const MAX_PAGES = 50;
const REQUEST_TIMEOUT_MS = 30_000;

export type GithubApiErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'http'
  | 'network'
  | 'invalid-response';

export class GithubApiError extends Error {
  constructor(
    readonly kind: GithubApiErrorKind,
    message: string,
    readonly status?: number,
    /** For `rate-limited`: when GitHub lets us call again. */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = 'GithubApiError';
  }
}

export type GithubClientOptions = {
  apiUrl: string;
  token: string;
  userAgent: string;
  /** Longest wait for a rate limit to reset inside one poll; a later reset ends the poll instead. */
  maxRateLimitWaitMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The URL of the `rel="next"` entry of a Link header (RFC 8288), if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /^<([^>]+)>(.*)$/.exec(part.trim());
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match?.[2] ?? '')?.[1] ?? '';
    if (match && rel.trim().split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/** When GitHub's limit resets: `retry-after` (secondary limits) or `x-ratelimit-reset` (epoch seconds). */
function retryAtOf(headers: Headers, now: Date): Date {
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return new Date(now.getTime() + retryAfter * 1000);
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  return new Date(now.getTime() + 60_000);
}

function isRateLimited(response: Response): boolean {
  if (response.status === 429) return true;
  if (response.status !== 403) return false;
  return response.headers.get('x-ratelimit-remaining') === '0' || response.headers.has('retry-after');
}

async function githubMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message.slice(0, 300) : '';
  } catch {
    return '';
  }
}

async function errorFor(response: Response, repository: string, now: Date): Promise<GithubApiError> {
  const said = await githubMessage(response);
  const quoted = said ? ` GitHub said: "${said}".` : '';
  const status = response.status;
  if (isRateLimited(response)) {
    const retryAt = retryAtOf(response.headers, now);
    return new GithubApiError(
      'rate-limited',
      `GitHub's rate limit is exhausted until ${retryAt.toISOString()}.${quoted}`,
      status,
      retryAt,
    );
  }
  if (status === 401)
    return new GithubApiError(
      'unauthorized',
      `GitHub refused GITHUB_TOKEN (401): it is wrong, expired or revoked.${quoted}`,
      status,
    );
  if (status === 403)
    return new GithubApiError(
      'forbidden',
      `GitHub denied access to the security advisories of ${repository} (403): give the token "Repository security advisories: read" on it.${quoted}`,
      status,
    );
  if (status === 404)
    return new GithubApiError(
      'not-found',
      `GitHub knows no repository ${repository} that the token can see (404): check DISCLOSURE_GITHUB_REPOSITORIES and the token's repository access.${quoted}`,
      status,
    );
  return new GithubApiError('http', `GitHub answered ${status} for ${repository}.${quoted}`, status);
}

const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 3;

function sameOrigin(url: string, apiUrl: string): boolean {
  return URL.canParse(url) && new URL(url).origin === new URL(apiUrl).origin;
}

/**
 * One page of the listing. Follows GitHub's redirects for a renamed or moved repository only on the
 * API's origin (the token goes nowhere else), waits out a short rate limit once, and reports anything
 * else as a GithubApiError.
 */
async function fetchPage(
  options: GithubClientOptions,
  firstUrl: string,
  repository: string,
): Promise<{ items: unknown[]; next?: string }> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  let url = firstUrl;
  let redirects = 0;
  let waited = false;
  for (;;) {
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${options.token}`,
          'X-GitHub-Api-Version': GITHUB_API_VERSION,
          'User-Agent': options.userAgent,
        },
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GithubApiError('network', `GitHub could not be reached for ${repository}: ${reason}.`);
    }
    if (REDIRECTS.has(response.status)) {
      const target = response.headers.get('location');
      const location = target && URL.canParse(target, url) ? new URL(target, url).toString() : '';
      if (!sameOrigin(location, options.apiUrl) || ++redirects > MAX_REDIRECTS)
        throw new GithubApiError(
          'http',
          `GitHub redirected the request for ${repository} elsewhere (${response.status}); check the repository name.`,
          response.status,
        );
      url = location;
      continue;
    }
    if (response.ok) {
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new GithubApiError('invalid-response', `GitHub's answer for ${repository} is not JSON.`, 200);
      }
      if (!Array.isArray(body))
        throw new GithubApiError('invalid-response', `GitHub's answer for ${repository} is not a list.`, 200);
      return { items: body, next: nextLink(response.headers.get('link')) };
    }
    const error = await errorFor(response, repository, now());
    const waitMs = error.retryAt ? error.retryAt.getTime() - now().getTime() : Number.POSITIVE_INFINITY;
    if (error.kind !== 'rate-limited' || waited || waitMs > (options.maxRateLimitWaitMs ?? 60_000))
      throw error;
    waited = true;
    await (options.sleep ?? defaultSleep)(Math.max(waitMs, 0) + 500);
  }
}

/**
 * The advisories of `owner/repo` in state `triage`, page by page (raw JSON objects, validated by the
 * caller). Next links are followed only on the API's own origin, so the token never leaves it.
 */
export async function* listTriageAdvisories(
  options: GithubClientOptions,
  repository: string,
): AsyncGenerator<unknown[]> {
  const [owner = '', repo = ''] = repository.split('/');
  let url: string | undefined =
    `${options.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}` +
    `/security-advisories?state=triage&per_page=${PER_PAGE}`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const { items, next } = await fetchPage(options, url, repository);
    yield items;
    if (next && !sameOrigin(next, options.apiUrl))
      throw new GithubApiError(
        'invalid-response',
        `GitHub's next page for ${repository} points to another host.`,
      );
    url = next;
  }
}
