import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRow } from '../../../src/disclosure/reports/reports.store.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { forceState, makeReport, TRIAGE_API } from './triage-helpers.ts';

const HOUR_MS = 3_600_000;
const plus = (date: Date, hours: number) => new Date(date.getTime() + hours * HOUR_MS);

/**
 * A seeded set in January and March 2025 (program clock: UTC, 3 business days). Hours from receipt:
 *   A  Mon 6 Jan 09:00   first response 24 (in time), triaged 24, resolved 240
 *   B  Wed 8 Jan 12:00   first response 144 (due Mon 13 Jan 12:00 = 120: missed), triaged 48
 *   C  Mon 20 Jan 00:00  closed as spam after 1 hour without an answer: outside the promise
 *   D  Wed 22 Jan 00:00  never answered, still new: missed
 *   E  Mon 3 Mar 10:00   first response 2, triaged 2, accepted
 */
describe('triage: metrics', () => {
  let t: TestApp;
  let auditor: SignedIn;

  async function seed(receivedAt: string, changes: (report: ReportRow) => Partial<ReportRow>) {
    const report = await makeReport(t.ctx, { receivedAt: new Date(receivedAt) });
    return forceState(t.ctx, report, changes(report));
  }

  beforeAll(async () => {
    t = await buildTestApp();
    auditor = await loginAs(t.app, t.ctx, 'auditor');
    await seed('2025-01-06T09:00:00Z', (r) => ({
      status: 'resolved',
      firstResponseAt: plus(r.receivedAt, 24),
      triagedAt: plus(r.receivedAt, 24),
      resolvedAt: plus(r.receivedAt, 240),
    }));
    await seed('2025-01-08T12:00:00Z', (r) => ({
      status: 'triaged',
      subStatus: 'needs_more_info',
      firstResponseAt: plus(r.receivedAt, 144),
      triagedAt: plus(r.receivedAt, 48),
    }));
    await seed('2025-01-20T00:00:00Z', (r) => ({
      status: 'spam',
      triagedAt: plus(r.receivedAt, 1),
      closedAt: plus(r.receivedAt, 1),
    }));
    await seed('2025-01-22T00:00:00Z', () => ({}));
    await seed('2025-03-03T10:00:00Z', (r) => ({
      status: 'accepted',
      firstResponseAt: plus(r.receivedAt, 2),
      triagedAt: plus(r.receivedAt, 2),
    }));
  }, 300_000);
  afterAll(() => t?.close());

  const metrics = (query: string) =>
    t.app.inject({ method: 'GET', url: `${TRIAGE_API}/metrics${query}`, headers: auditor.headers });

  it('keeps minutes: a first response after 3 minutes is 0.05 h, not 0', async () => {
    // Closed, so the open counts the other tests check stay as they are.
    await seed('2024-02-05T08:00:00Z', (r) => ({
      status: 'spam',
      closedAt: plus(r.receivedAt, 0.05),
      firstResponseAt: plus(r.receivedAt, 0.05),
      triagedAt: plus(r.receivedAt, 0.05),
    }));
    const res = await metrics('?from=2024-02&to=2024-02');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().totals.firstResponse).toEqual({ count: 1, medianHours: 0.05, averageHours: 0.05 });
  });

  it('computes per-month times to first response, triage and resolution, and the share within the SLA', async () => {
    const res = await metrics('?from=2025-01&to=2025-03');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2025-01', to: '2025-03', timeZone: 'UTC' });
    expect(body.months.map((m: { month: string }) => m.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    const [january, february, march] = body.months;
    expect(january).toEqual({
      month: '2025-01',
      received: 4,
      firstResponse: { count: 2, medianHours: 84, averageHours: 84 },
      triage: { count: 3, medianHours: 24, averageHours: 24.333 },
      resolution: { count: 1, medianHours: 240, averageHours: 240 },
      sla: { counted: 3, withinSla: 1, share: 0.333 },
    });
    expect(february).toEqual({
      month: '2025-02',
      received: 0,
      firstResponse: { count: 0, medianHours: null, averageHours: null },
      triage: { count: 0, medianHours: null, averageHours: null },
      resolution: { count: 0, medianHours: null, averageHours: null },
      sla: { counted: 0, withinSla: 0, share: null },
    });
    expect(march).toMatchObject({ received: 1, sla: { counted: 1, withinSla: 1, share: 1 } });
    expect(body.totals).toEqual({
      received: 5,
      firstResponse: { count: 3, medianHours: 24, averageHours: 56.667 },
      triage: { count: 4, medianHours: 13, averageHours: 18.75 },
      resolution: { count: 1, medianHours: 240, averageHours: 240 },
      sla: { counted: 4, withinSla: 2, share: 0.5 },
    });
    expect(body.openByStatus).toEqual({ new: 1, triaged: 1, accepted: 1, fixing: 0 });
    expect(body.waiting).toEqual({ needsMoreInfo: 1, retest: 0 });
  });

  it('holds aggregates only: no titles, and no audited read of sealed data', async () => {
    const res = await metrics('?from=2025-01&to=2025-01');
    expect(res.body).not.toContain('Stored XSS');
    expect(res.json().months).toHaveLength(1);
    expect(await auditEntries(t.ctx, 'disclosure.report.listed')).toEqual([]);
  });

  it('defaults to the last twelve months and refuses bad ranges', async () => {
    const res = await metrics('');
    expect(res.statusCode).toBe(200);
    expect(res.json().months).toHaveLength(12);
    expect(res.json().to).toBe(new Date().toISOString().slice(0, 7));
    expect((await metrics('?from=2025-03&to=2025-01')).statusCode).toBe(422);
    expect((await metrics('?from=2015-01&to=2025-01')).statusCode).toBe(422);
    expect((await metrics('?from=2025-13')).statusCode).toBe(422);
  });
});
