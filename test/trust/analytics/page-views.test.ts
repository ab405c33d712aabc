import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/http/actor.ts';
import { PageViewCounter, pageViewsOf } from '../../../src/trust/analytics/page-views.ts';
import { publishSite } from '../../../src/trust/publication/publication.service.ts';
import { trustPageViews } from '../../../src/trust/tables.ts';
import { TRUST_API, visit } from '../../fixtures/access.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { makeDocument, makePdf, uploadFile } from '../../fixtures/trust.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

const today = () => new Date().toISOString().slice(0, 10);

describe('public page views', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('counts each served public page per day, cookie-free, and shows them beside document events', async () => {
    const doc = await makeDocument(t.ctx, { accessLevel: 'request', title: { en: 'SOC 2 report' } });
    await uploadFile(t.app, admin.headers, doc.id, { name: 'soc2.pdf', bytes: await makePdf() });
    await publishSite(t.ctx, systemActor('test'));
    const before = await t.app.inject({
      method: 'GET',
      url: `${TRUST_API}/analytics/timeseries?from=${today()}&to=${today()}`,
      headers: admin.headers,
    });
    const viewsBefore = before.json().days[0].pageViews as number;

    const home = await visit(t.app, '/en/');
    expect(home.statusCode).toBe(200);
    expect(home.headers['set-cookie']).toBeUndefined();
    await visit(t.app, '/fr/');
    const etag = String(home.headers.etag);
    // A revalidation (304) is a view too: the visitor saw the page.
    expect((await visit(t.app, '/en/', { headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    for (let i = 0; i < 2; i++) {
      expect((await visit(t.app, `/es/documents/${doc.slug}`)).statusCode).toBe(200);
    }
    // Not counted: a 404, a feed poll.
    expect((await visit(t.app, '/en/documents/no-such-document')).statusCode).toBe(404);
    await visit(t.app, '/en/updates.atom');

    const series = await t.app.inject({
      method: 'GET',
      url: `${TRUST_API}/analytics/timeseries?from=${today()}&to=${today()}`,
      headers: admin.headers,
    });
    expect(series.json().days[0].pageViews).toBe(viewsBefore + 5);

    const summary = await t.app.inject({
      method: 'GET',
      url: `${TRUST_API}/analytics/summary?from=${today()}&to=${today()}`,
      headers: admin.headers,
    });
    const body = summary.json();
    const page = (path: string) => body.byPage.find((p: { path: string }) => p.path === path)?.views;
    expect(page(`/documents/${doc.slug}`)).toBe(2);
    expect(page('/')).toBeGreaterThanOrEqual(3);
    expect(page('/documents/no-such-document')).toBeUndefined();
    expect(page('/updates.atom')).toBeUndefined();
    const row = body.byDocument.find((d: { documentId: string }) => d.documentId === doc.id);
    expect(row).toMatchObject({ pageViews: 2, requested: 0, title: { en: 'SOC 2 report' } });

    // Anonymous: the table holds a day, a path and a count, nothing about the visitor.
    const stored = await t.ctx.database.db
      .select()
      .from(trustPageViews)
      .where(eq(trustPageViews.path, `/documents/${doc.slug}`));
    expect(stored).toEqual([{ day: today(), path: `/documents/${doc.slug}`, views: 2 }]);
  });

  it('batches counts into one upsert that adds to what is stored', async () => {
    const counter = new PageViewCounter(t.ctx.database.db);
    counter.count('1999-03-01', '/subprocessors');
    counter.count('1999-03-01', '/subprocessors');
    counter.count('1999-03-02', '/subprocessors');
    await counter.flush();
    counter.count('1999-03-01', '/subprocessors');
    await counter.stop();
    const rows = await t.ctx.database.db
      .select()
      .from(trustPageViews)
      .where(eq(trustPageViews.path, '/subprocessors'));
    const old = rows.filter((r) => r.day.startsWith('1999')).sort((a, b) => a.day.localeCompare(b.day));
    expect(old).toEqual([
      { day: '1999-03-01', path: '/subprocessors', views: 3 },
      { day: '1999-03-02', path: '/subprocessors', views: 1 },
    ]);
  });

  it('keeps counts for the next flush when the database refuses them', async () => {
    const warnings: string[] = [];
    let fail = true;
    const real = t.ctx.database.db;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'insert' && fail) throw new Error('database down');
        return Reflect.get(target, prop, receiver);
      },
    });
    const counter = new PageViewCounter(flaky, (m) => warnings.push(m));
    counter.count('1999-04-01', '/updates');
    await counter.flush();
    expect(warnings).toEqual(['page views not written: database down']);
    fail = false;
    counter.count('1999-04-01', '/updates');
    await counter.flush();
    const rows = await real.select().from(trustPageViews).where(eq(trustPageViews.day, '1999-04-01'));
    expect(rows).toEqual([{ day: '1999-04-01', path: '/updates', views: 2 }]);
  });

  it('is one counter per app', () => {
    expect(pageViewsOf(t.ctx)).toBe(pageViewsOf(t.ctx));
  });
});
