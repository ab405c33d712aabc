import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReportById } from '../../../src/disclosure/reports/reports.store.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { makeReport, TRIAGE_API } from './triage-helpers.ts';

const DAY_MS = 86_400_000;
/** 8.1, high: the vector a researcher typed on the report form. */
const REPORTER_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N';

describe("triage: the reporter's CVSS vector is a severity proposal the team confirms", () => {
  let t: TestApp;
  let security: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security');
  }, 300_000);
  afterAll(() => t?.close());

  const get = (url: string) =>
    t.app.inject({ method: 'GET', url: `${TRIAGE_API}${url}`, headers: security.headers });
  const patch = (reportId: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'PATCH',
      url: `${TRIAGE_API}/reports/${reportId}`,
      headers: security.headers,
      payload,
    });

  it('scores the vector on arrival: severity, score and fix target are set, marked as proposed', async () => {
    const report = await makeReport(t.ctx, { title: 'Proposal on arrival', cvssVector: REPORTER_VECTOR });
    expect(report).toMatchObject({ severity: 'high', cvssScore: '8.1', severityProposed: true });
    expect(report.fixDueAt?.getTime()).toBeGreaterThan(report.receivedAt.getTime() + DAY_MS);

    const detail = await get(`/reports/${report.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ severity: 'high', cvssScore: 8.1, severityProposed: true });

    const high = await get('/reports?severity=high');
    expect(high.json().items.map((item: { number: number }) => item.number)).toContain(report.number);
  });

  it('confirms the proposal when the team saves the vector shown, unchanged', async () => {
    const report = await makeReport(t.ctx, { title: 'Confirm as shown', cvssVector: REPORTER_VECTOR });
    const saved = await patch(report.id, { cvssVector: REPORTER_VECTOR });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = await findReportById(t.ctx.database.db, report.id);
    expect(after).toMatchObject({ severity: 'high', cvssScore: '8.1', severityProposed: false });
    expect(after?.fixDueAt).not.toBeNull();
    const detail = (await get(`/reports/${report.id}`)).json();
    expect(detail.severityProposed).toBe(false);
    expect(detail.events.some((event: { type: string }) => event.type === 'updated')).toBe(true);
  });

  it('replaces the proposal with the team’s own rating', async () => {
    const report = await makeReport(t.ctx, { title: 'Team disagrees', cvssVector: REPORTER_VECTOR });
    const saved = await patch(report.id, { cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await findReportById(t.ctx.database.db, report.id)).toMatchObject({
      severity: 'low',
      severityProposed: false,
    });
  });

  it('proposes nothing for a report without a vector', async () => {
    const report = await makeReport(t.ctx, { title: 'No vector' });
    expect(report).toMatchObject({
      severity: null,
      cvssScore: null,
      severityProposed: false,
      fixDueAt: null,
    });
  });
});
