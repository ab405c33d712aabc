import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src/core/csv.ts';
import { trustEvents } from '../../../src/trust/tables.ts';
import { TRUST_API } from '../../fixtures/access.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { makeDocument, makeVisitor } from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends every row with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
  });
});

describe('trust analytics', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  /** Events on given UTC days of a year no other test writes to. */
  const seed = async (year: number) => {
    const soc2 = await makeDocument(t.ctx, { accessLevel: 'nda', title: { en: 'SOC 2' } });
    const dpa = await makeDocument(t.ctx, { accessLevel: 'request', title: { en: 'DPA' } });
    const ana = await makeVisitor(t.ctx, { name: 'Ana', company: 'Globex' });
    const eve = await makeVisitor(t.ctx, { name: '=cmd|" /C calc"!A0', company: '@Evil, "Inc"' });
    const at = (day: number) => new Date(Date.UTC(year, 0, day, 12));
    const event = (type: string, visitor: typeof ana, documentId: string | null, day: number) => ({
      type,
      visitorId: visitor.id,
      company: visitor.company,
      documentId,
      occurredAt: at(day),
    });
    await t.ctx.database.db
      .insert(trustEvents)
      .values([
        event('requested', ana, soc2.id, 1),
        event('granted', ana, soc2.id, 2),
        event('viewed', ana, soc2.id, 2),
        event('downloaded', ana, soc2.id, 2),
        event('downloaded', ana, soc2.id, 3),
        event('requested', eve, dpa.id, 3),
        event('confirmed', eve, null, 3),
      ]);
    return { soc2, dpa, ana, eve, range: `from=${year}-01-01&to=${year}-01-03` };
  };

  it('counts requested, granted, viewed and downloaded per document and per company', async () => {
    const { soc2, dpa, range } = await seed(2001);
    const res = await t.app.inject({
      url: `${TRUST_API}/analytics/summary?${range}`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.byDocument).toEqual([
      {
        documentId: soc2.id,
        slug: soc2.slug,
        title: { en: 'SOC 2' },
        requested: 1,
        granted: 1,
        viewed: 1,
        downloaded: 2,
        pageViews: 0,
      },
      {
        documentId: dpa.id,
        slug: dpa.slug,
        title: { en: 'DPA' },
        requested: 1,
        granted: 0,
        viewed: 0,
        downloaded: 0,
        pageViews: 0,
      },
    ]);
    expect(body.byCompany).toEqual([
      { company: 'Globex', requested: 1, granted: 1, viewed: 1, downloaded: 2 },
      { company: '@Evil, "Inc"', requested: 1, granted: 0, viewed: 0, downloaded: 0 },
    ]);
  });

  it('gives one point per day for the chart, zeros included', async () => {
    const { range } = await seed(2002);
    const res = await t.app.inject({
      url: `${TRUST_API}/analytics/timeseries?${range}`,
      headers: admin.headers,
    });
    expect(res.json().days).toEqual([
      { date: '2002-01-01', requested: 1, granted: 0, viewed: 0, downloaded: 0, pageViews: 0 },
      { date: '2002-01-02', requested: 0, granted: 1, viewed: 1, downloaded: 1, pageViews: 0 },
      { date: '2002-01-03', requested: 1, granted: 0, viewed: 0, downloaded: 1, pageViews: 0 },
    ]);
  });

  it('exports every event as formula-safe CSV, and audits the export', async () => {
    const { soc2, range } = await seed(2003);
    const res = await t.app.inject({
      url: `${TRUST_API}/analytics/events.csv?${range}`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="trust-events-2003-01-01.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('time_utc,event,company,visitor_name,visitor_email,document,download_id,locale,ip');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toMatch(
      new RegExp(`^2003-01-01T12:00:00.000Z,requested,Globex,Ana,visitor@[^,]+,${soc2.slug},,,$`),
    );
    const evil = lines.find((line) => line.includes('confirmed'));
    expect(evil).toContain(`"'@Evil, ""Inc""","'=cmd|"" /C calc""!A0"`);
    expect((await auditEntries(t.ctx, 'trust.analytics.exported')).at(-1)?.details).toMatchObject({
      rows: 7,
    });
  });

  it('refuses a reversed or over-long range (422)', async () => {
    for (const query of [
      'from=2024-02-01&to=2024-01-01',
      'from=2020-01-01&to=2024-01-01',
      'from=yesterday',
    ]) {
      const res = await t.app.inject({
        url: `${TRUST_API}/analytics/summary?${query}`,
        headers: admin.headers,
      });
      expect(res.statusCode, query).toBe(422);
    }
  });

  it('refuses an employee (403) and an anonymous caller (401)', async () => {
    const employee = await loginAs(t.app, t.ctx, 'employee');
    for (const path of ['summary', 'timeseries', 'events.csv']) {
      const url = `${TRUST_API}/analytics/${path}`;
      expect((await t.app.inject({ url, headers: employee.headers })).statusCode).toBe(403);
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
  });
});
