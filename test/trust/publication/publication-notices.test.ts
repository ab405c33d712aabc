import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesBetween } from '../../../src/trust/publication/publication-changes.ts';
import { linkInMail, postForm, TRUST_API, visit, visitorEmail } from '../../fixtures/access.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('publishing tells subscribers what changed', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  const api = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `${TRUST_API}${url}`, headers: admin.headers, payload });
  const noticeJobs = async () => {
    const { rows } = await t.ctx.database.executeSql(
      // One publish queues its notices in one transaction (same created_on): order by topic.
      "select data from pgboss.job where name = 'trust.subscribers-notify' order by data->>'topic'",
      [],
    );
    return rows.map((row) => (row as { data: unknown }).data);
  };

  it('queues one notice per topic for a publish that adds a subprocessor and an update, none for the first publish', async () => {
    const email = visitorEmail();
    expect(
      (await postForm(t.app, '/en/subscriptions', { email, topics: ['subprocessors', 'updates'] }))
        .statusCode,
    ).toBe(200);
    expect((await visit(t.app, await linkInMail(t.ctx, email, '/subscriptions/confirm/'))).statusCode).toBe(
      200,
    );

    expect((await api('POST', '/publish')).statusCode).toBe(201);
    expect(await noticeJobs()).toEqual([]);

    const added = await api('POST', '/subprocessors', {
      name: 'Initech Cloud',
      purpose: { en: 'Hosting' },
      location: 'EU (Ireland)',
      effectiveOn: '2030-03-05',
    });
    expect(added.statusCode).toBe(201);
    const update = await api('POST', '/updates', {
      slug: 'pentest-2030',
      title: { en: 'Annual penetration test completed', es: 'Prueba de penetración anual completada' },
      body: { en: 'No critical findings.' },
      publishedOn: '2030-02-01',
    });
    expect(update.statusCode).toBe(201);
    expect((await api('POST', '/publish')).statusCode).toBe(201);

    expect(await noticeJobs()).toEqual([
      {
        topic: 'subprocessors',
        changes: [{ kind: 'subprocessor-added', name: 'Initech Cloud', effectiveOn: '2030-03-05' }],
      },
      {
        topic: 'updates',
        changes: [
          {
            kind: 'update-published',
            name: 'Annual penetration test completed',
            names: { en: 'Annual penetration test completed', es: 'Prueba de penetración anual completada' },
          },
        ],
      },
    ]);

    // Publishing again without changes announces nothing more.
    expect((await api('POST', '/publish')).statusCode).toBe(201);
    expect(await noticeJobs()).toHaveLength(2);
  });

  it('reports removed and changed subprocessors with their dates', () => {
    const base = {
      profile: { defaultLocale: 'en' },
      updates: [],
    } as unknown as Parameters<typeof changesBetween>[1];
    const sub = (id: string, location: string, removedOn: string | null = null) => ({
      id,
      name: `Sub ${id}`,
      purpose: { en: 'x' },
      location: { en: location },
      website: null,
      effectiveOn: '2030-01-01',
      removedOn,
    });
    const previous = { ...base, subprocessors: [sub('a', 'EU'), sub('b', 'US')] };
    const next = { ...base, subprocessors: [sub('a', 'EU (Ireland)'), sub('b', 'US', '2030-06-30')] };
    expect(changesBetween(previous, next)).toEqual([
      {
        topic: 'subprocessors',
        changes: [
          { kind: 'subprocessor-changed', name: 'Sub a', effectiveOn: '2030-01-01' },
          { kind: 'subprocessor-removed', name: 'Sub b', effectiveOn: '2030-06-30' },
        ],
      },
    ]);
    expect(changesBetween(undefined, next)).toEqual([]);
  });
});
