import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/github');

/** A JSON file of test/fixtures/github, parsed afresh (callers may change it). */
export function githubFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) as T;
}

export type RecordedRequest = { method: string; url: string; headers: IncomingHttpHeaders };

/** What the fake answers for one repository: its triage advisories, page by page, or an error status. */
export type FakeRepository =
  | { id: number; pages: unknown[][]; nextLinkHost?: string }
  | { status: 403 | 404 | 500 }
  /** Renamed: GitHub answers 301 with the new location. */
  | { movedTo: string };

/**
 * A local GitHub REST API for the one endpoint the import uses, answering in GitHub's documented
 * shapes: `GET /repos/{owner}/{repo}/security-advisories` with cursor pagination (`Link: rel="next"`
 * to `/repositories/{id}/security-advisories?…&after=…`), rate-limit headers, 401 for a wrong token,
 * 403/404 error bodies, and a primary rate limit on demand.
 */
export class FakeGithub {
  readonly requests: RecordedRequest[] = [];
  readonly repositories = new Map<string, FakeRepository>();
  token = 'github_pat_11TESTTOKEN0000000000_fakefakefakefakefake';
  /** Answer the next request with an exhausted rate limit resetting this many seconds later. */
  rateLimitNext: { resetInSeconds: number } | undefined;
  url = '';
  private readonly server = createServer((request, response) => {
    this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    this.answer(request.url ?? '/', request.headers, response);
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4987',
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-used': '13',
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    response.end(JSON.stringify(body));
  }

  private answer(rawUrl: string, headers: IncomingHttpHeaders, response: ServerResponse) {
    const url = new URL(rawUrl, this.url);
    if (headers.authorization !== `Bearer ${this.token}`) {
      return this.send(response, 401, githubFixture('error-bad-credentials'));
    }
    if (this.rateLimitNext) {
      const reset = Math.ceil(Date.now() / 1000) + this.rateLimitNext.resetInSeconds;
      this.rateLimitNext = undefined;
      return this.send(response, 403, githubFixture('error-rate-limit'), {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
      });
    }
    const byName = /^\/repos\/([^/]+)\/([^/]+)\/security-advisories$/.exec(url.pathname);
    const byId = /^\/repositories\/(\d+)\/security-advisories$/.exec(url.pathname);
    const entry = byName
      ? [...this.repositories].find(([name]) => name === `${byName[1]}/${byName[2]}`)?.[1]
      : [...this.repositories.values()].find((repo) => 'id' in repo && String(repo.id) === byId?.[1]);
    if (!entry) return this.send(response, 404, githubFixture('error-not-found'));
    if ('movedTo' in entry) {
      response.writeHead(301, {
        location: `${this.url}/repos/${entry.movedTo}/security-advisories${url.search}`,
      });
      return response.end(JSON.stringify({ message: 'Moved Permanently', url: this.url }));
    }
    if ('status' in entry) {
      const body = entry.status === 403 ? githubFixture('error-forbidden') : githubFixture('error-not-found');
      return this.send(response, entry.status, entry.status === 500 ? { message: 'Server Error' } : body);
    }
    if (url.searchParams.get('state') !== 'triage') return this.send(response, 200, []);
    const after = url.searchParams.get('after');
    const index = after ? Number(Buffer.from(after, 'base64url').toString('utf8').split(':')[1]) : 0;
    const page = entry.pages[index] ?? [];
    const link: Record<string, string> = {};
    if (index + 1 < entry.pages.length) {
      const cursor = Buffer.from(`cursor:${index + 1}`).toString('base64url');
      const host = entry.nextLinkHost ?? this.url;
      const next = `${host}/repositories/${entry.id}/security-advisories?state=triage&per_page=100&after=${cursor}`;
      link.link = `<${next}>; rel="next"`;
    }
    return this.send(response, 200, page, link);
  }
}
