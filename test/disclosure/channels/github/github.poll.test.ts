import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { settings } from '../../../../src/core/settings/tables.ts';
import { githubPollJob } from '../../../../src/disclosure/channels/github/github.jobs.ts';
import {
  type ImportLogger,
  pollGithubAdvisories,
} from '../../../../src/disclosure/channels/github/github.service.ts';
import {
  readImportState,
  writeImportState,
} from '../../../../src/disclosure/channels/github/github.state.ts';
import { githubSignature } from '../../../../src/disclosure/channels/github/github.webhook.ts';
import { openReportContent, openReporter } from '../../../../src/disclosure/reports/reports.sealing.ts';
import { disclosureReports } from '../../../../src/disclosure/tables.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../../helpers/app.ts';
import { DISCLOSURE_API } from '../../program/program-helpers.ts';
import { FakeGithub, githubFixture } from './github-fake.ts';

const API = 'acme-corp/widget-api';
const WEB = 'acme-corp/widget-web';

type Advisory = Record<string, unknown> & { ghsa_id: string };
const sqlInjection = () => githubFixture<Advisory>('advisory-triage-sql-injection');
const openRedirect = () => githubFixture<Advisory>('advisory-triage-open-redirect');
let ghsaCounter = 0;
/** Another triage advisory, with a GHSA id of its own. */
function anotherAdvisory(summary: string): Advisory {
  ghsaCounter += 1;
  const ghsa = `GHSA-${String(ghsaCounter).padStart(4, '2')}-9gmh-5wq7`;
  return {
    ...openRedirect(),
    ghsa_id: ghsa,
    html_url: `https://github.com/${WEB}/security/advisories/${ghsa}`,
    summary,
  };
}

function capturingLog() {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { log, logger: log as unknown as ImportLogger };
}

describe('GitHub private vulnerability reports: polling', () => {
  let t: TestApp;
  let github: FakeGithub;
  let security: SignedIn;

  const githubReports = () =>
    t.ctx.database.db.select().from(disclosureReports).where(eq(disclosureReports.channel, 'github'));
  const reportOf = async (ghsa: string) => {
    const [row] = await t.ctx.database.db
      .select()
      .from(disclosureReports)
      .where(and(eq(disclosureReports.channel, 'github'), eq(disclosureReports.sourceRef, ghsa)));
    return row;
  };
  const status = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/github/status`,
      headers: security.headers,
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    github = await new FakeGithub().start();
    t = await buildTestApp({
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: github.token,
        DISCLOSURE_GITHUB_REPOSITORIES: `${API}, ${WEB}`,
        DISCLOSURE_GITHUB_POLL_MINUTES: '15',
      },
    });
    security = await loginAs(t.app, t.ctx, 'security');
  });
  afterAll(async () => {
    await t?.close();
    await github?.close();
  });
  beforeEach(async () => {
    github.requests.length = 0;
    github.repositories.clear();
    await t.ctx.database.db.delete(settings).where(eq(settings.key, 'disclosure.github.import-state'));
  });

  it('imports the reports of two pages once; a second poll creates nothing new', async () => {
    github.repositories.set(API, { id: 612345678, pages: [[sqlInjection()], [openRedirect()]] });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });

    const first = await pollGithubAdvisories(t.ctx);
    expect(first).toMatchObject({ status: 'polled', imported: 2, alreadyImported: 0, errors: [] });
    expect(github.requests.map((r) => r.url)).toEqual([
      `/repos/${API}/security-advisories?state=triage&per_page=100`,
      expect.stringMatching(
        /^\/repositories\/612345678\/security-advisories\?state=triage&per_page=100&after=/,
      ),
      `/repos/${WEB}/security-advisories?state=triage&per_page=100`,
    ]);
    const headers = github.requests[0]?.headers ?? {};
    expect(headers.authorization).toBe(`Bearer ${github.token}`);
    expect(headers.accept).toBe('application/vnd.github+json');
    expect(headers['x-github-api-version']).toBe('2022-11-28');
    expect(headers['user-agent']).toMatch(/^Attest\//);
    expect((await githubReports()).map((r) => r.sourceRef).sort()).toEqual([
      'GHSA-7x9m-2q4r-hv3c',
      'GHSA-p5wf-8c6j-q2rg',
    ]);

    const second = await pollGithubAdvisories(t.ctx);
    expect(second).toMatchObject({ status: 'polled', imported: 0, alreadyImported: 2, errors: [] });
    expect(await githubReports()).toHaveLength(2);
  });

  it("maps the advisory's fields onto the report, audits it and tells the team, without mailing anyone else", async () => {
    const team = await loginAs(t.app, t.ctx, 'admin');
    github.repositories.set(API, { id: 612345678, pages: [[sqlInjection()]] });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });
    await t.ctx.database.db.delete(disclosureReports).where(eq(disclosureReports.channel, 'github'));
    const mailsBefore = (await queuedMails(t.ctx)).length;

    expect(await pollGithubAdvisories(t.ctx)).toMatchObject({ imported: 1 });
    const report = await reportOf('GHSA-7x9m-2q4r-hv3c');
    expect(report).toMatchObject({
      channel: 'github',
      sourceUrl: `https://github.com/${API}/security/advisories/GHSA-7x9m-2q4r-hv3c`,
      asset: `github.com/${API}`,
      status: 'new',
      locale: 'en',
      cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
      cweId: 'CWE-89',
      creditPreference: 'handle',
      reporterEmailHash: null,
    });
    // The SLA clock starts when GitHub received the report, not when Attest noticed it.
    expect(report?.receivedAt.toISOString()).toBe('2025-03-04T09:15:27.000Z');
    const id = report?.id as string;
    const content = openReportContent(t.ctx.keyring, id, report?.contentSealed as string);
    expect(content.title).toBe('SQL injection in the widget search endpoint');
    expect(content.description).toContain('`src/search/query.ts` line 42');
    expect(content.impact).toContain('Severity: high');
    expect(content.impact).toContain(
      'CVSS 4.0: CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N (score 7.1)',
    );
    expect(content.impact).toContain('CVSS 3.x: CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N (score 6.5)');
    expect(content.impact).toContain(
      "CWE-89 (Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection'))",
    );
    expect(content.impact).toContain(
      '- npm @acme/widget-api, versions >= 2.0.0, < 2.4.1; patched in 2.4.1; vulnerable functions: searchWidgets',
    );
    expect(openReporter(t.ctx.keyring, id, report?.reporterSealed ?? null)).toEqual({
      handle: 'marta-sec',
      url: 'https://github.com/marta-sec',
    });

    const audit = (await auditEntries(t.ctx, 'disclosure.report.received')).filter((e) => e.targetId === id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'system', details: { channel: 'github' } });
    // The team notice goes to the triage team; the reporter has no e-mail, so no receipt goes anywhere.
    const mails = (await queuedMails(t.ctx)).slice(mailsBefore);
    expect(new Set(mails.map((m) => m.to))).toEqual(
      new Set([team.made.user.email, security.made.user.email]),
    );
    expect(mails.every((m) => m.text.includes(`#${report?.number}`))).toBe(true);
  });

  it('logs a missing or forbidden repository, shows it in the status, and still polls the others', async () => {
    github.repositories.set(API, { status: 404 });
    github.repositories.set(WEB, { id: 612345679, pages: [[anotherAdvisory('Token leak in logs')]] });
    const { log, logger } = capturingLog();

    const result = await pollGithubAdvisories(t.ctx, { log: logger });
    expect(result.imported).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(`GitHub knows no repository ${API} that the token can see (404)`);
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({ repository: API, kind: 'not-found', status: 404 }),
      expect.stringContaining('DISCLOSURE_GITHUB_REPOSITORIES'),
    );
    const view = await status();
    expect(view).toMatchObject({ polling: true, webhook: false, apiUrl: github.url, pollMinutes: 15 });
    expect(view.repositories).toEqual([
      expect.objectContaining({
        repository: API,
        waitingReports: null,
        error: expect.stringContaining('404'),
      }),
      expect.objectContaining({ repository: WEB, waitingReports: 1, imported: 1, error: null }),
    ]);
    expect(view.lastError.message).toContain('404');
    expect(view.lastPollAt).not.toBeNull();

    github.repositories.set(API, { status: 403 });
    const forbidden = await pollGithubAdvisories(t.ctx);
    expect(forbidden.errors[0]).toContain('"Repository security advisories: read"');
    expect(forbidden.errors[0]).toContain('Resource not accessible by personal access token');
  });

  it('reports a refused token clearly and never throws', async () => {
    github.repositories.set(API, { id: 612345678, pages: [[sqlInjection()]] });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });
    const good = github.token;
    github.token = 'something-else';
    try {
      const { log, logger } = capturingLog();
      const result = await pollGithubAdvisories(t.ctx, { log: logger });
      expect(result.status).toBe('polled');
      expect(result.errors).toHaveLength(2);
      expect(result.errors[0]).toContain('GitHub refused GITHUB_TOKEN (401)');
      expect(result.errors[0]).toContain('Bad credentials');
      expect(log.error).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'unauthorized' }),
        expect.any(String),
      );
      expect((await status()).lastError.message).toContain('401');
    } finally {
      github.token = good;
    }
  });

  it('waits for a rate limit that resets soon, then carries on', async () => {
    github.repositories.set(API, { id: 612345678, pages: [[sqlInjection()]] });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });
    github.rateLimitNext = { resetInSeconds: 1 };
    const waits: number[] = [];

    const result = await pollGithubAdvisories(t.ctx, {
      client: { sleep: async (ms) => void waits.push(ms) },
    });
    expect(result.errors).toEqual([]);
    expect(result.rateLimitedUntil).toBeNull();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(2500);
    // The refused request was asked again after the wait.
    expect(github.requests.map((r) => r.url).slice(0, 2)).toEqual([
      `/repos/${API}/security-advisories?state=triage&per_page=100`,
      `/repos/${API}/security-advisories?state=triage&per_page=100`,
    ]);
  });

  it('stops at a long rate limit and asks GitHub nothing more until it resets, job included', async () => {
    github.repositories.set(API, { id: 612345678, pages: [[sqlInjection()]] });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });
    github.rateLimitNext = { resetInSeconds: 3600 };
    const { logger } = capturingLog();

    const limited = await pollGithubAdvisories(t.ctx, { log: logger });
    expect(limited.status).toBe('polled');
    expect(limited.errors[0]).toContain("GitHub's rate limit is exhausted until");
    const until = new Date(limited.rateLimitedUntil as string).getTime();
    expect(until).toBeGreaterThan(Date.now() + 3500_000);
    expect(github.requests).toHaveLength(1);

    const next = await pollGithubAdvisories(t.ctx);
    expect(next).toMatchObject({ status: 'rate-limited', rateLimitedUntil: limited.rateLimitedUntil });
    await githubPollJob(t.ctx, logger).handle({});
    expect(github.requests).toHaveLength(1);
    expect((await status()).rateLimitedUntil).toBe(limited.rateLimitedUntil);
  });

  it('never follows a next link to another host (the token stays with GITHUB_API_URL)', async () => {
    github.repositories.set(API, {
      id: 612345678,
      pages: [[anotherAdvisory('First page only')], [anotherAdvisory('Never fetched')]],
      nextLinkHost: 'http://attacker.invalid',
    });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });

    const result = await pollGithubAdvisories(t.ctx);
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('points to another host')]);
    expect(github.requests).toHaveLength(2);
  });

  it('follows GitHub to a renamed repository on the same host', async () => {
    github.repositories.set(API, { movedTo: 'acme-corp/widget-platform' });
    github.repositories.set('acme-corp/widget-platform', {
      id: 612345680,
      pages: [[anotherAdvisory('Moved but still reported')]],
    });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });

    const result = await pollGithubAdvisories(t.ctx);
    expect(result).toMatchObject({ imported: 1, errors: [] });
    expect(github.requests.map((r) => r.url)[1]).toBe(
      '/repos/acme-corp/widget-platform/security-advisories?state=triage&per_page=100',
    );
    expect(github.requests[1]?.headers.authorization).toBe(`Bearer ${github.token}`);
  });

  it('skips a malformed advisory with an error and imports the rest of the page', async () => {
    const good = anotherAdvisory('Path traversal in exports');
    github.repositories.set(API, {
      id: 612345678,
      pages: [[{ ghsa_id: 'GHSA-zzzz-zzzz-zzzz', summary: '', html_url: 'not a url' }, good]],
    });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });

    const result = await pollGithubAdvisories(t.ctx);
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('GHSA-zzzz-zzzz-zzzz was skipped')]);
    expect(await reportOf('GHSA-zzzz-zzzz-zzzz')).toBeUndefined();
    expect(await reportOf(good.ghsa_id)).toBeDefined();
  });

  it('runs from a job scheduled every minute, polling only once the interval has passed', async () => {
    const { rows } = await t.ctx.database.executeSql(
      "select cron from pgboss.schedule where name = 'disclosure.github-poll'",
      [],
    );
    expect(rows).toEqual([{ cron: '* * * * *' }]);
    github.repositories.set(API, { id: 612345678, pages: [[]] });
    github.repositories.set(WEB, { id: 612345679, pages: [[]] });
    const { logger } = capturingLog();
    const job = githubPollJob(t.ctx, logger);

    await job.handle({});
    expect(github.requests).toHaveLength(2);
    await job.handle({});
    expect(github.requests).toHaveLength(2);

    const state = await readImportState(t.ctx.database.db);
    await writeImportState(t.ctx.database.db, {
      ...state,
      lastPollAt: new Date(Date.now() - 16 * 60_000).toISOString(),
    });
    await job.handle({});
    expect(github.requests).toHaveLength(4);
  });

  it('keeps the status to the roles that read reports', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: `${DISCLOSURE_API}/github/status` });
    expect(anonymous.statusCode).toBe(401);
    const employee = await loginAs(t.app, t.ctx, 'employee');
    const refused = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/github/status`,
      headers: employee.headers,
    });
    expect(refused.statusCode).toBe(403);
    expect(JSON.stringify(await status())).not.toContain(github.token);
  });

  it('answers the webhook with 404 while no webhook secret is configured', async () => {
    const body = JSON.stringify(githubFixture('webhook-ping'));
    const res = await t.app.inject({
      method: 'POST',
      url: `${DISCLOSURE_API}/github/webhook`,
      remoteAddress: uniqueIp(),
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-hub-signature-256': githubSignature('whatever-secret-value', Buffer.from(body)),
      },
      payload: body,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('disclosure-github-webhook-disabled');
  });
});
