import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hallOfFame } from '../../src/disclosure/advisories/hall-of-fame.ts';
import { findReportById, type ReportRow } from '../../src/disclosure/reports/reports.store.ts';
import { DEFAULT_CANNED } from '../../src/disclosure/triage/triage.canned.ts';
import { visit } from '../fixtures/access.ts';
import { loginAs, type SignedIn } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';
import {
  fieldParts,
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
  tokenOf,
} from './intake/intake-helpers.ts';
import { forceState } from './triage/triage-helpers.ts';

const API = '/api/v1/disclosure';

describe('from report to advisory, replies after closing, canned responses, public links', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;

  async function send(overrides: Record<string, unknown> = {}) {
    const res = await postMultipart(t.app, REPORTS_API, [
      {
        name: 'report',
        value: JSON.stringify(
          reportBody(version, {
            reporter: { email: researcherEmail(), name: 'Zoë Researcher', handle: 'zoe' },
            ...overrides,
          }),
        ),
      },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const report = (await findReportById(t.ctx.database.db, res.json().id)) as ReportRow;
    return { report, token: tokenOf(res.json().followUrl) };
  }

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `${API}${url}`, headers: admin.headers, ...(payload ? { payload } : {}) });

  const openInbox = async () =>
    (await api('GET', '/reports?state=open&limit=100')).json().items as {
      number: number;
      replyAfterCloseAt: string | null;
    }[];

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  it("drafts an advisory from a report: title, CWE, CVSS, product, and the researcher's chosen credit", async () => {
    const { report } = await send({ creditPreference: 'handle', title: 'IDOR on invoices' });
    const patched = await api('PATCH', `/reports/${report.id}`, {
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
      cweId: 'CWE-639',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await api('GET', `/reports/${report.id}/advisory-draft`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      title: 'IDOR on invoices',
      summary: '',
      description: '',
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
      cvssV4Vector: null,
      cweIds: ['CWE-639'],
      affected: [{ name: 'app.example.com', purl: '', ranges: [], versions: [] }],
      credits: [{ name: 'zoe', type: 'finder' }],
      reportId: report.id,
      reportNumber: report.number,
    });
    // The hall of fame names the researcher the same way.
    await forceState(t.ctx, report, { status: 'resolved', resolvedAt: new Date() });
    const names = (await hallOfFame(t.ctx, t.ctx.database.db)).flatMap((year) => year.names);
    expect(names).toContain('zoe');
    expect(names).not.toContain('Zoë Researcher');
    // Opening the sealed title and reporter is audited.
    const viewed = await auditEntries(t.ctx, 'disclosure.report.viewed');
    expect(viewed.some((e) => e.targetId === report.id && e.details.purpose === 'advisory-draft')).toBe(true);
  });

  it('credits nobody when the researcher chose to stay anonymous, and 404s for an unknown report', async () => {
    const { report } = await send({ creditPreference: 'anonymous' });
    const res = await api('GET', `/reports/${report.id}/advisory-draft`);
    expect(res.json().credits).toEqual([]);
    const missing = await api('GET', '/reports/00000000-0000-4000-8000-000000000000/advisory-draft');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const unauthenticated = await t.app.inject({
      method: 'GET',
      url: `${API}/reports/${report.id}/advisory-draft`,
    });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it('brings a closed report back to the open inbox when the researcher replies, until the team answers', async () => {
    const { report, token } = await send({ title: 'Open redirect' });
    const closed = await api('POST', `/reports/${report.id}/transition`, { to: 'out_of_scope' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await openInbox()).some((r) => r.number === report.number)).toBe(false);

    const reply = await postMultipart(
      t.app,
      `/en/security/follow/${token}/messages`,
      fieldParts({ body: 'It is in scope: the redirect is on app.example.com.' }),
    );
    expect(reply.statusCode, reply.body).toBe(303);

    const row = (await openInbox()).find((r) => r.number === report.number);
    expect(row?.replyAfterCloseAt).toEqual(expect.any(String));
    const closedList = (await api('GET', '/reports?state=closed&limit=100')).json().items as {
      number: number;
    }[];
    expect(closedList.some((r) => r.number === report.number)).toBe(false);
    // The status stays the team's decision.
    const detail = (await api('GET', `/reports/${report.id}`)).json();
    expect(detail.status).toBe('out_of_scope');
    expect(detail.events.map((e: { type: string }) => e.type)).toContain('reply-after-close');
    const audited = await auditEntries(t.ctx, 'disclosure.report.reply-after-close');
    expect(audited.filter((e) => e.targetId === report.id)).toHaveLength(1);
    expect(audited.find((e) => e.targetId === report.id)?.details).toMatchObject({
      number: report.number,
      status: 'out_of_scope',
    });

    // A second reply does not add a second entry; the team's answer takes it out of the open inbox.
    await postMultipart(t.app, `/en/security/follow/${token}/messages`, fieldParts({ body: 'Any news?' }));
    expect(
      (await auditEntries(t.ctx, 'disclosure.report.reply-after-close')).filter(
        (e) => e.targetId === report.id,
      ),
    ).toHaveLength(1);
    const answered = await api('POST', `/reports/${report.id}/messages`, {
      body: 'We had another look: still out of scope.',
    });
    expect(answered.statusCode, answered.body).toBe(201);
    expect((await openInbox()).some((r) => r.number === report.number)).toBe(false);
  });

  it('a status change also answers the reply (reopening to triaged keeps it open, as a status)', async () => {
    const { report, token } = await send({ title: 'CSRF on settings' });
    await api('POST', `/reports/${report.id}/transition`, { to: 'informative' });
    await postMultipart(
      t.app,
      `/en/security/follow/${token}/messages`,
      fieldParts({ body: 'Please reconsider.' }),
    );
    const reopened = await api('POST', `/reports/${report.id}/transition`, { to: 'triaged' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().replyAfterCloseAt).toBeNull();
    expect((await openInbox()).some((r) => r.number === report.number)).toBe(true);
  });

  it('offers default canned responses in en, es and fr, seeded once, editable and deletable', async () => {
    const first = await api('GET', '/canned-responses');
    expect(first.statusCode, first.body).toBe(200);
    const items = first.json().items as { id: string; locale: string; title: string; body: string }[];
    for (const locale of ['en', 'es', 'fr']) {
      expect(items.filter((item) => item.locale === locale)).toHaveLength(DEFAULT_CANNED.length);
    }
    const titles = items.map((item) => item.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Need more information', 'Duplicado', 'Corrigé\u00a0: merci de retester']),
    );
    for (const item of items) {
      expect(item.body).not.toMatch(/cannedDefaults|vdp-triage:/);
      expect(item.body.length).toBeGreaterThan(60);
    }
    // Editing and deleting stick: reading again does not seed again.
    const [edited, deleted] = items;
    const patch = await api('PATCH', `/canned-responses/${edited?.id}`, { title: 'Our own thanks' });
    expect(patch.statusCode, patch.body).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `${API}/canned-responses/${deleted?.id}`,
      headers: admin.headers,
    });
    expect(del.statusCode).toBe(204);
    const again = (await api('GET', '/canned-responses')).json().items as { title: string }[];
    expect(again).toHaveLength(items.length - 1);
    expect(again.map((item) => item.title)).toContain('Our own thanks');
  });

  it('links the advisories index from the policy page and the hall of fame, in every language', async () => {
    for (const locale of ['en', 'es', 'fr']) {
      const policy = await visit(t.app, `/${locale}/security/policy`);
      expect(policy.statusCode).toBe(200);
      expect(policy.body).toContain(`/${locale}/security/advisories"`);
      const thanks = await visit(t.app, `/${locale}/security/thanks`);
      expect(thanks.statusCode).toBe(200);
      expect(thanks.body).toContain(`href="/${locale}/security/advisories"`);
    }
  });
});
