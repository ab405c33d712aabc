import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type Session, uniqueIp } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { forceState, makeReport, TRIAGE_API } from './triage-helpers.ts';

describe('GET /api/v1/disclosure/reports.csv', () => {
  let t: TestApp;
  let security: Session;

  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security', { remoteAddress: uniqueIp() });
    const formula = await makeReport(t.ctx, { title: 'Secret title one', asset: '=cmd|"/c calc"!A1' });
    await forceState(t.ctx, formula, { severity: 'high', cvssScore: '7.6' });
    await makeReport(t.ctx, { title: 'Secret title two', asset: 'api.acme.io' });
    const closed = await makeReport(t.ctx, { title: 'Secret title three', asset: 'old.acme.io' });
    await forceState(t.ctx, closed, { status: 'spam', closedAt: new Date() });
  });
  afterAll(() => t?.close());

  const exportCsv = (query: Record<string, string>, headers = security.headers) =>
    t.app.inject({ method: 'GET', url: `${TRIAGE_API}/reports.csv?${new URLSearchParams(query)}`, headers });

  it('exports the inbox with its filters, summary columns only, formula-safe, and audits it', async () => {
    const res = await exportCsv({ state: 'open' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'number,status,sub_status,severity,cvss_score,asset,category,out_of_scope,channel,locale,assignee,' +
        'received_at,response_due_at,first_response_at,sla,fix_due_at,resolved_at,closed_at',
    );
    expect(lines).toHaveLength(3); // header + the two open reports: the closed one is filtered out
    expect(res.body).not.toContain('old.acme.io');
    // Sealed content never leaves in a file: no titles, no reporter.
    expect(res.body).not.toMatch(/Secret title|Zoë|researcher\.test/);
    // The asset a researcher typed is text for a spreadsheet, not a formula; quotes doubled.
    expect(res.body).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(lines.find((line) => line.includes('calc'))).toMatch(/,high,7\.6,/);

    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/events?action=disclosure.reports.exported',
      headers: (await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() })).headers,
    });
    expect(audit.json().items[0].details).toEqual({ filter: { state: 'open' }, rows: 2 });
  });

  it('applies the inbox search, by title too, and says in the audit entry that titles were opened', async () => {
    const res = await exportCsv({ search: 'title two', state: 'open' });
    expect(res.statusCode).toBe(200);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('api.acme.io');
    expect(res.body).not.toContain('Secret title');
    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/events?action=disclosure.reports.exported',
      headers: (await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() })).headers,
    });
    expect(audit.json().items[0].details.titlesOpened).toBeGreaterThan(0);
  });

  it('is for the triage team only', async () => {
    for (const role of ['compliance', 'auditor', 'employee'] as const) {
      const other = await loginAs(t.app, t.ctx, role, { remoteAddress: uniqueIp() });
      expect((await exportCsv({}, other.headers)).statusCode, role).toBe(403);
    }
  });
});
