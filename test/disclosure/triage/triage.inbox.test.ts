import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPublishedProgram } from '../../../src/disclosure/program/program.service.ts';
import { findReportById, type ReportRow } from '../../../src/disclosure/reports/reports.store.ts';
import { DEFAULT_CANNED } from '../../../src/disclosure/triage/triage.canned.ts';
import { loginAs, makeUser, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import { publish } from '../program/program-helpers.ts';
import { makeReport, researcherEmail, TRIAGE_API } from './triage-helpers.ts';

const DAY_MS = 86_400_000;

describe('triage: inbox, reading reports, triage fields, erasure, canned responses', () => {
  let t: TestApp;
  let security: SignedIn;
  let admin: SignedIn;
  let xss: ReportRow;
  let sqli: ReportRow;
  let old: ReportRow;

  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security');
    admin = await loginAs(t.app, t.ctx, 'admin');
    // Reports record the version the reporter accepted: publish one first (a fresh install has none).
    expect(await publish(t.app, admin.headers)).toBe(1);
    old = await makeReport(t.ctx, {
      title: 'Open redirect on login',
      asset: 'app.example.com',
      receivedAt: new Date(Date.now() - 30 * DAY_MS),
    });
    xss = await makeReport(t.ctx, { title: 'Stored XSS in Ünïcode names', asset: 'app.example.com' });
    sqli = await makeReport(t.ctx, {
      title: 'SQL injection in search',
      asset: 'api.example.com',
      attachments: [
        { fileName: 'poc «1».txt', contentType: 'text/plain', content: Buffer.from("' OR 1=1 --") },
      ],
    });
  }, 300_000);
  afterAll(() => t?.close());

  const get = (url: string, who: SignedIn = security) =>
    t.app.inject({ method: 'GET', url: `${TRIAGE_API}${url}`, headers: who.headers });
  const patch = (reportId: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'PATCH',
      url: `${TRIAGE_API}/reports/${reportId}`,
      headers: security.headers,
      payload,
    });
  const numbers = async (query: string) => {
    const res = await get(`/reports${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((item: { number: number }) => item.number);
  };

  it('lists newest first with titles and SLA state, audited once per call', async () => {
    const before = (await auditEntries(t.ctx, 'disclosure.report.listed')).length;
    const res = await get('/reports');
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(items.map((item: { number: number }) => item.number)).toEqual([
      sqli.number,
      xss.number,
      old.number,
    ]);
    expect(nextCursor).toBeNull();
    expect(items[1]).toMatchObject({
      title: 'Stored XSS in Ünïcode names',
      status: 'new',
      subStatus: null,
      severity: null,
      assignee: null,
      firstResponseAt: null,
      sla: { state: expect.stringMatching(/^due/), fixOverdue: false },
    });
    expect(items[2].sla).toMatchObject({ state: 'breached' });
    expect(items[2].sla.hoursLeft).toBeLessThan(0);
    const entries = await auditEntries(t.ctx, 'disclosure.report.listed');
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)?.details).toMatchObject({ numbers: [sqli.number, xss.number, old.number] });
  });

  it('filters, searches by number, asset and title, and pages with a cursor', async () => {
    expect(await numbers('?asset=app.example.com')).toEqual([xss.number, old.number]);
    expect(await numbers('?overdue=true')).toEqual([old.number]);
    expect(await numbers('?overdue=false')).toEqual([sqli.number, xss.number]);
    expect(await numbers(`?search=%23${sqli.number}`)).toEqual([sqli.number]);
    expect(await numbers('?search=api.example')).toEqual([sqli.number]);
    expect(await numbers('?search=unicode')).toEqual([xss.number]);
    expect(await numbers('?search=nothing-like-this')).toEqual([]);
    expect(await numbers('?state=closed')).toEqual([]);
    expect(await numbers('?state=open&status=new')).toEqual([sqli.number, xss.number, old.number]);
    expect(await numbers('?assignee=none')).toEqual([sqli.number, xss.number, old.number]);
    expect(await numbers('?assignee=me')).toEqual([]);

    const first = (await get('/reports?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(`/reports?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { number: number }) => i.number)).toEqual([old.number]);
    expect(second.nextCursor).toBeNull();
    expect((await get('/reports?status=bogus')).statusCode).toBe(422);
  });

  it('opens a whole report (audited) and its attachment (audited, as a download)', async () => {
    const res = await get(`/reports/${sqli.id}`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      number: sqli.number,
      content: { title: 'SQL injection in search', impact: 'Session theft of any visitor.' },
      reporter: { name: 'Zoë Researcher', handle: 'zoe' },
      policyVersion: 1,
      allowedTransitions: expect.arrayContaining(['triaged', 'spam']),
      allowedSubStatuses: ['needs_more_info'],
    });
    expect(report.attachments).toHaveLength(1);
    const [file] = report.attachments;
    expect(file).toMatchObject({ fileName: 'poc «1».txt', contentType: 'text/plain', size: 11 });
    expect(await auditEntries(t.ctx, 'disclosure.report.viewed')).toEqual([
      expect.objectContaining({ targetId: sqli.id, details: { number: sqli.number } }),
    ]);

    const download = await get(`/reports/${sqli.id}/attachments/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe("' OR 1=1 --");
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
    expect(download.headers['cache-control']).toBe('no-store');
    expect(await auditEntries(t.ctx, 'disclosure.attachment.downloaded')).toEqual([
      expect.objectContaining({
        targetId: sqli.id,
        details: expect.objectContaining({ attachmentId: file.id }),
      }),
    ]);
    expect((await get(`/reports/${xss.id}/attachments/${file.id}`)).statusCode).toBe(404);
    const missing = await get(`/reports/${crypto.randomUUID()}`);
    expect(missing.json().code).toBe('disclosure-report-not-found');
  });

  it('scores CVSS 3.1 and 4.0 vectors into severity and a fix target; refuses invalid ones (422)', async () => {
    const { source } = await getPublishedProgram(t.ctx);
    const v31 = await patch(xss.id, { cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' });
    expect(v31.statusCode, v31.body).toBe(200);
    expect(v31.json()).toMatchObject({ cvssScore: 6.1, severity: 'medium' });
    const fixDue = new Date(v31.json().sla.fixDueAt).getTime();
    expect(fixDue - new Date(xss.receivedAt).getTime()).toBe(source.fixTargetDays.medium * DAY_MS);

    const v40 = await patch(xss.id, {
      cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      cweId: 'CWE-79',
      issueUrl: 'https://tracker.example.com/SEC-12',
    });
    expect(v40.json()).toMatchObject({ cvssScore: 9.3, severity: 'critical' });
    expect(new Date(v40.json().sla.fixDueAt).getTime() - new Date(xss.receivedAt).getTime()).toBe(
      source.fixTargetDays.critical * DAY_MS,
    );
    const [entry] = (await auditEntries(t.ctx, 'disclosure.report.updated')).slice(-1);
    expect(entry?.details).toMatchObject({
      changed: expect.arrayContaining(['cvssVector', 'cvssScore', 'cweId', 'issueUrl']),
      cweId: 'CWE-79',
    });

    for (const [payload, pointer] of [
      [{ cvssVector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, '/cvssVector'],
      [{ cvssVector: 'CVSS:3.1/AV:N/AC:L' }, '/cvssVector'],
      [{ cvssVector: 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P' }, '/cvssVector'],
      [{ severity: 'low' }, '/severity'],
      [{ cweId: '79' }, '/cweId'],
      [{ issueUrl: 'javascript:alert(1)' }, '/issueUrl'],
      [{}, '/'],
    ] as const) {
      const res = await patch(xss.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().errors[0].pointer).toBe(pointer);
    }
    const full = (await get(`/reports/${xss.id}`)).json();
    expect(full).toMatchObject({
      cvssScore: 9.3,
      cweId: 'CWE-79',
      issueUrl: 'https://tracker.example.com/SEC-12',
    });

    const cleared = await patch(xss.id, { cvssVector: null, severity: 'low' });
    expect(cleared.json()).toMatchObject({ cvssScore: null, severity: 'low' });
  });

  it('assigns to active triagers only, and filters by assignee', async () => {
    const employee = await makeUser(t.ctx, { role: 'employee' });
    const refused = await patch(old.id, { assigneeId: employee.user.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].pointer).toBe('/assigneeId');
    const res = await patch(old.id, { assigneeId: security.made.user.id, asset: 'legacy.example.com' });
    expect(res.json().assignee).toEqual({
      id: security.made.user.id,
      name: security.made.user.name,
      email: security.made.user.email,
    });
    expect(await numbers('?assignee=me')).toEqual([old.number]);
    expect(await numbers(`?assignee=${security.made.user.id}`)).toEqual([old.number]);
    const assignees = (await get('/assignees')).json().items.map((u: { id: string }) => u.id);
    expect(assignees).toEqual(expect.arrayContaining([security.made.user.id, admin.made.user.id]));
    expect(assignees).not.toContain(employee.user.id);
  });

  it("erases the reporter's personal data on request, keeps the report, mails them no more", async () => {
    const email = researcherEmail();
    const first = await makeReport(t.ctx, { email, title: 'First from this address' });
    const report = await makeReport(t.ctx, { email, title: 'Second from this address' });
    const erase = () =>
      t.app.inject({
        method: 'POST',
        url: `${TRIAGE_API}/reports/${report.id}/erase-reporter`,
        headers: admin.headers,
      });
    const res = await erase();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().otherReports).toEqual([{ id: first.id, number: first.number }]);

    const full = (await get(`/reports/${report.id}`)).json();
    expect(full).toMatchObject({ reporter: null, creditPreference: 'anonymous' });
    expect(full.erasedAt).not.toBeNull();
    expect(full.content.title).toBe('Second from this address');
    const row = await findReportById(t.ctx.database.db, report.id);
    expect(row).toMatchObject({ reporterSealed: null, reporterEmailHash: null });
    const mails = (await queuedMails(t.ctx, email)).length;
    const moved = await t.app.inject({
      method: 'POST',
      url: `${TRIAGE_API}/reports/${report.id}/transition`,
      headers: security.headers,
      payload: { to: 'triaged' },
    });
    expect(moved.statusCode).toBe(200);
    expect(await queuedMails(t.ctx, email)).toHaveLength(mails);

    expect((await erase()).json().code).toBe('disclosure-reporter-erased');
    expect(await auditEntries(t.ctx, 'disclosure.report.reporter-erased')).toEqual([
      expect.objectContaining({
        targetId: report.id,
        details: expect.objectContaining({ hadIdentity: true }),
      }),
    ]);
  });

  it('documents every triage operation in OpenAPI with its permission', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const permissionOf = (path: string, method: string) =>
      doc.paths[`${TRIAGE_API}${path}`]?.[method]?.['x-attest-permission'];
    expect(permissionOf('/reports', 'get')).toBe('disclosure.report.read');
    expect(permissionOf('/reports/{reportId}', 'get')).toBe('disclosure.report.read');
    expect(permissionOf('/reports/{reportId}', 'patch')).toBe('disclosure.report.manage');
    expect(permissionOf('/reports/{reportId}/transition', 'post')).toBe('disclosure.report.manage');
    expect(permissionOf('/reports/{reportId}/first-response', 'post')).toBe('disclosure.report.manage');
    expect(permissionOf('/reports/{reportId}/erase-reporter', 'post')).toBe('disclosure.report.manage');
    expect(permissionOf('/metrics', 'get')).toBe('disclosure.metrics.read');
    const firstResponse = doc.paths[`${TRIAGE_API}/reports/{reportId}/first-response`].post;
    const body = firstResponse.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['assessment', 'expectedResolutionOn']));
  });

  it('keeps canned responses per locale', async () => {
    const create = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `${TRIAGE_API}/canned-responses`,
        headers: security.headers,
        payload,
      });
    const es = await create({ locale: 'es', title: 'Gracias', body: 'Gracias por su informe.' });
    expect(es.statusCode).toBe(201);
    expect(
      (await create({ locale: 'fr', title: 'Merci', body: 'Merci pour votre rapport.' })).statusCode,
    ).toBe(201);
    expect((await create({ locale: 'de', title: 'Danke', body: 'Danke.' })).statusCode).toBe(422);

    // Next to the defaults seeded on first read (5 per language).
    const spanish = (await get('/canned-responses?locale=es')).json().items;
    expect(spanish.map((c: { title: string }) => c.title)).toContain('Gracias');
    expect(spanish.every((c: { locale: string }) => c.locale === 'es')).toBe(true);
    expect(spanish).toHaveLength(DEFAULT_CANNED.length + 1);
    expect((await get('/canned-responses')).json().items).toHaveLength(3 * DEFAULT_CANNED.length + 2);

    const url = `${TRIAGE_API}/canned-responses/${es.json().id}`;
    const edited = await t.app.inject({
      method: 'PATCH',
      url,
      headers: security.headers,
      payload: { body: 'Muchas gracias.' },
    });
    expect(edited.json()).toMatchObject({ locale: 'es', body: 'Muchas gracias.' });
    expect((await t.app.inject({ method: 'DELETE', url, headers: security.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url, headers: security.headers })).statusCode).toBe(404);
    expect(await auditEntries(t.ctx, 'disclosure.canned-response.deleted')).toHaveLength(1);
  });
});
