import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGithubAdvisory } from '../../../../src/disclosure/channels/github/github.import.ts';
import { pollGithubAdvisories } from '../../../../src/disclosure/channels/github/github.service.ts';
import { githubSignature } from '../../../../src/disclosure/channels/github/github.webhook.ts';
import { openReportContent, openReporter } from '../../../../src/disclosure/reports/reports.sealing.ts';
import { disclosureReports } from '../../../../src/disclosure/tables.ts';
import { loginAs, uniqueIp } from '../../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../../helpers/app.ts';
import { DISCLOSURE_API } from '../../program/program-helpers.ts';
import { githubFixture } from './github-fake.ts';

const SECRET = 'whsec-3f9a1c7e5b2d4068a1c3e5f7b9d1e3f5';
const WEBHOOK = `${DISCLOSURE_API}/github/webhook`;
const GHSA = 'GHSA-c3vx-9gmh-5wq7';

type Delivery = {
  event: string;
  body: string;
  signature?: string | null;
  contentType?: string;
};

type ReportedEvent = {
  action: string;
  repository: { full_name: string };
  repository_advisory: Record<string, unknown> & { ghsa_id: string };
};

const reportedEvent = () => githubFixture<ReportedEvent>('webhook-repository-advisory-reported');

describe('GitHub private vulnerability reports: repository_advisory webhook', () => {
  let t: TestApp;
  let deliveries = 0;

  /** Posts like GitHub does: the body signed with SECRET unless `signature` says otherwise. */
  function deliver({ event, body, signature, contentType = 'application/json' }: Delivery) {
    deliveries += 1;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-github-event': event,
      'x-github-delivery': `72d3162e-cc78-11e3-81ab-4c9367dc${String(deliveries).padStart(4, '0')}`,
      'x-github-hook-id': '498127734',
      'user-agent': 'GitHub-Hookshot/a1b2c3d',
    };
    const sent = signature === undefined ? githubSignature(SECRET, Buffer.from(body)) : signature;
    if (sent !== null) headers['x-hub-signature-256'] = sent;
    return t.app.inject({ method: 'POST', url: WEBHOOK, headers, payload: body, remoteAddress: uniqueIp() });
  }

  const reportsOf = (ghsa: string) =>
    t.ctx.database.db
      .select()
      .from(disclosureReports)
      .where(and(eq(disclosureReports.channel, 'github'), eq(disclosureReports.sourceRef, ghsa)));
  const githubReportCount = async () =>
    (await t.ctx.database.db.select().from(disclosureReports).where(eq(disclosureReports.channel, 'github')))
      .length;

  beforeAll(async () => {
    t = await buildTestApp({
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        // Spelled differently from GitHub's full_name: repository names are case-insensitive.
        DISCLOSURE_GITHUB_REPOSITORIES: 'Acme-Corp/Widget-API',
      },
    });
  });
  afterAll(() => t?.close());

  it('answers a signed ping', async () => {
    const res = await deliver({ event: 'ping', body: JSON.stringify(githubFixture('webhook-ping')) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'pong' });
  });

  it('refuses a delivery with a wrong signature (401, audited) and stores nothing', async () => {
    const body = JSON.stringify(reportedEvent());
    const wrongSecret = await deliver({
      event: 'repository_advisory',
      body,
      signature: githubSignature('not-the-secret-at-all', Buffer.from(body)),
    });
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.headers['content-type']).toContain('application/problem+json');
    expect(wrongSecret.json().code).toBe('disclosure-github-signature-invalid');

    // The signature of the original body does not cover a changed one.
    const tampered = body.replace('Stored XSS', 'Harmless');
    const replayed = await deliver({
      event: 'repository_advisory',
      body: tampered,
      signature: githubSignature(SECRET, Buffer.from(body)),
    });
    expect(replayed.statusCode).toBe(401);
    expect(await githubReportCount()).toBe(0);
    const audited = await auditEntries(t.ctx, 'disclosure.github.webhook-rejected');
    expect(audited.map((e) => e.details.reason)).toEqual(['wrong-signature', 'wrong-signature']);
    expect(audited[0]).toMatchObject({ actorType: 'anonymous', details: { event: 'repository_advisory' } });
  });

  it('refuses a delivery without a signature (401, audited) and stores nothing', async () => {
    const res = await deliver({
      event: 'repository_advisory',
      body: JSON.stringify(reportedEvent()),
      signature: null,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('disclosure-github-signature-invalid');
    expect(await githubReportCount()).toBe(0);
    const audited = await auditEntries(t.ctx, 'disclosure.github.webhook-rejected');
    expect(audited.at(-1)?.details.reason).toBe('missing-signature');
  });

  it('imports a reported advisory of a configured repository once, mapped like a polled one', async () => {
    const body = JSON.stringify(reportedEvent());
    const res = await deliver({ event: 'repository_advisory', body });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'imported', reportNumber: expect.any(Number) });

    const [report] = await reportsOf(GHSA);
    expect(report).toMatchObject({
      number: res.json().reportNumber,
      channel: 'github',
      asset: 'github.com/Acme-Corp/Widget-API',
      sourceUrl: `https://github.com/acme-corp/widget-api/security/advisories/${GHSA}`,
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N',
      cweId: 'CWE-79',
    });
    const content = openReportContent(t.ctx.keyring, report?.id as string, report?.contentSealed as string);
    expect(content.title).toBe('Stored XSS in widget labels');
    expect(content.impact).toContain('- npm @acme/widget-dashboard, versions < 3.2.0');
    expect(openReporter(t.ctx.keyring, report?.id as string, report?.reporterSealed ?? null)).toEqual({
      handle: 'lea-bughunter',
      url: 'https://github.com/lea-bughunter',
    });
    const received = await auditEntries(t.ctx, 'disclosure.report.received');
    expect(received.filter((e) => e.targetId === report?.id)).toHaveLength(1);

    // GitHub redelivers (a retry, or "Redeliver" in the settings): no second report.
    const again = await deliver({ event: 'repository_advisory', body });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'already-imported', reportNumber: report?.number });
    expect(await reportsOf(GHSA)).toHaveLength(1);
  });

  it('stores one report when a webhook delivery and a poll import the same advisory at the same time', async () => {
    const advisory = { ...reportedEvent().repository_advisory, ghsa_id: 'GHSA-5jx3-q8wv-c2mr' };
    const outcomes = await Promise.all([
      importGithubAdvisory(t.ctx, 'Acme-Corp/Widget-API', advisory),
      importGithubAdvisory(t.ctx, 'Acme-Corp/Widget-API', advisory),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already-imported', 'imported']);
    expect(await reportsOf('GHSA-5jx3-q8wv-c2mr')).toHaveLength(1);
  });

  it('imports an advisory whose text holds NUL and unpaired surrogates, replacing them instead of failing', async () => {
    const advisory = {
      ...reportedEvent().repository_advisory,
      ghsa_id: 'GHSA-2f7v-x9qm-w4hc',
      summary: 'XSS\u0000in labels \uD800',
      description: 'Steps\u0000: open \uDC00 the page',
      severity: 'high\u0000',
    };
    const outcome = await importGithubAdvisory(t.ctx, 'Acme-Corp/Widget-API', advisory);
    expect(outcome.outcome).toBe('imported');
    const [report] = await reportsOf('GHSA-2f7v-x9qm-w4hc');
    const content = openReportContent(t.ctx.keyring, report?.id as string, report?.contentSealed as string);
    expect(content.title).toBe('XSS\uFFFDin labels \uFFFD');
    expect(content.description).toBe('Steps\uFFFD: open \uFFFD the page');
  });

  it('accepts the form content type GitHub also offers, signed over the form body', async () => {
    const event = reportedEvent();
    event.repository_advisory.ghsa_id = 'GHSA-h4qm-77xw-2jfr';
    event.repository_advisory.summary = 'CSRF on the webhook settings page';
    const body = new URLSearchParams({ payload: JSON.stringify(event) }).toString();
    const res = await deliver({
      event: 'repository_advisory',
      body,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.statusCode).toBe(201);
    expect(await reportsOf('GHSA-h4qm-77xw-2jfr')).toHaveLength(1);
  });

  it('acknowledges and ignores other repositories, other actions and other events', async () => {
    const before = await githubReportCount();
    const elsewhere = reportedEvent();
    elsewhere.repository.full_name = 'acme-corp/unrelated';
    elsewhere.repository_advisory.ghsa_id = 'GHSA-8wv2-m3qx-9rfc';
    const notConfigured = await deliver({ event: 'repository_advisory', body: JSON.stringify(elsewhere) });
    expect(notConfigured.statusCode).toBe(202);
    expect(notConfigured.json()).toEqual({ status: 'ignored', reason: 'repository not configured' });

    const published = reportedEvent();
    published.action = 'published';
    published.repository_advisory.ghsa_id = 'GHSA-9q2c-r7hv-m4wx';
    const otherAction = await deliver({ event: 'repository_advisory', body: JSON.stringify(published) });
    expect(otherAction.statusCode).toBe(202);
    expect(otherAction.json().reason).toBe('action published');

    const push = await deliver({ event: 'push', body: JSON.stringify({ ref: 'refs/heads/main' }) });
    expect(push.statusCode).toBe(202);
    expect(await githubReportCount()).toBe(before);
  });

  it('answers a signed body that is not an advisory event with a problem, never a 500', async () => {
    const notJson = await deliver({ event: 'repository_advisory', body: '{"action": "reported",' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('malformed-body');

    const broken = reportedEvent();
    broken.repository_advisory.ghsa_id = 'GHSA-4rmc-x2vq-7hpw';
    broken.repository_advisory.summary = '';
    const invalid = await deliver({ event: 'repository_advisory', body: JSON.stringify(broken) });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().code).toBe('validation-failed');
    expect(await reportsOf('GHSA-4rmc-x2vq-7hpw')).toHaveLength(0);
  });

  it('leaves JSON parsing of every other route alone', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/login',
      remoteAddress: uniqueIp(),
      payload: { email: 'nobody@example.test', password: 'not the right password' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid-credentials');
  });

  it('shows the webhook in the status, and does not poll without a token', async () => {
    const security = await loginAs(t.app, t.ctx, 'security');
    const res = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/github/status`,
      headers: security.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      polling: false,
      webhook: true,
      repositories: [{ repository: 'Acme-Corp/Widget-API', checkedAt: null }],
      lastWebhookAt: expect.any(String),
    });
    expect(await pollGithubAdvisories(t.ctx)).toMatchObject({ status: 'disabled', imported: 0 });
  });
});
