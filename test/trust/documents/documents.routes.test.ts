import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { makeDocument, makePdf, TRUST_API, uploadFile } from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('the documents admin API', () => {
  let t: TestApp;
  let admin: SignedIn;
  let auditor: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    auditor = await loginAs(t.app, t.ctx, 'auditor');
  });
  afterAll(() => t?.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, who = admin) =>
    t.app.inject({ method, url: `${TRUST_API}${url}`, headers: who.headers, payload });
  let counter = 0;
  const uniqueSlug = (base: string) => `${base}-${Date.now().toString(36)}-${++counter}`;

  it('creates a document with texts per locale, access level, validity and position, and audits it', async () => {
    const slug = uniqueSlug('dpa');
    const res = await api('POST', '/documents', {
      slug,
      title: { en: 'Data processing agreement', es: 'Acuerdo de tratamiento de datos', fr: '' },
      description: { en: 'Our standard DPA.' },
      accessLevel: 'nda',
      validFrom: '2025-01-01',
      validUntil: '2099-12-31',
      position: 3,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      slug,
      title: { en: 'Data processing agreement', es: 'Acuerdo de tratamiento de datos' },
      description: { en: 'Our standard DPA.' },
      accessLevel: 'nda',
      validFrom: '2025-01-01',
      validUntil: '2099-12-31',
      position: 3,
      status: 'active',
      archivedAt: null,
      currentFiles: [],
      files: [],
    });
    expect(body.title).not.toHaveProperty('fr');
    const audit = (await auditEntries(t.ctx, 'trust.document.created')).filter((e) => e.targetId === body.id);
    expect(audit).toEqual([
      expect.objectContaining({ actorId: admin.made.user.id, details: { slug, accessLevel: 'nda' } }),
    ]);
  });

  it('refuses a slug another document uses with 409', async () => {
    const { slug } = await makeDocument(t.ctx);
    const res = await api('POST', '/documents', { slug, title: { en: 'Again' }, accessLevel: 'public' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('document-slug-taken');
  });

  it('refuses bad input with 422: slug shape, no title, unknown level, dates out of order', async () => {
    const bad = [
      { slug: 'Not A Slug', title: { en: 'x' }, accessLevel: 'public' },
      { slug: uniqueSlug('no-title'), title: {}, accessLevel: 'public' },
      { slug: uniqueSlug('level'), title: { en: 'x' }, accessLevel: 'secret' },
      {
        slug: uniqueSlug('dates'),
        title: { en: 'x' },
        accessLevel: 'public',
        validFrom: '2025-06-01',
        validUntil: '2025-01-01',
      },
      { slug: uniqueSlug('extra'), title: { en: 'x' }, accessLevel: 'public', storageKey: '../../etc' },
    ];
    for (const payload of bad) {
      const res = await api('POST', '/documents', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('updates fields, keeps the rest, and audits what changed', async () => {
    const doc = await makeDocument(t.ctx, { accessLevel: 'request' });
    const res = await api('PATCH', `/documents/${doc.id}`, { accessLevel: 'nda', validUntil: '2099-01-01' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ slug: doc.slug, accessLevel: 'nda', validUntil: '2099-01-01' });
    const audit = (await auditEntries(t.ctx, 'trust.document.updated')).filter((e) => e.targetId === doc.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toEqual({
      changed: ['accessLevel', 'validUntil'],
      accessLevel: 'nda',
      previousAccessLevel: 'request',
    });
  });

  it('refuses an update that puts validUntil before the stored validFrom', async () => {
    const doc = await makeDocument(t.ctx, { validFrom: '2025-06-01' });
    const res = await api('PATCH', `/documents/${doc.id}`, { validUntil: '2025-01-01' });
    expect(res.statusCode).toBe(422);
  });

  it('refuses renaming to a taken slug with 409', async () => {
    const first = await makeDocument(t.ctx);
    const second = await makeDocument(t.ctx);
    const res = await api('PATCH', `/documents/${second.id}`, { slug: first.slug });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('document-slug-taken');
  });

  it('archives a document once, audited, and lists it only among the archived', async () => {
    const doc = await makeDocument(t.ctx, { title: { en: 'Archivable report' } });
    const res = await api('POST', `/documents/${doc.id}/archive`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('archived');
    expect((await api('POST', `/documents/${doc.id}/archive`)).statusCode).toBe(200);
    const audit = (await auditEntries(t.ctx, 'trust.document.archived')).filter((e) => e.targetId === doc.id);
    expect(audit).toHaveLength(1);

    const active = await api('GET', `/documents?q=${doc.slug}`);
    expect(active.json().items).toEqual([]);
    const archived = await api('GET', `/documents?q=${doc.slug}&archived=true`);
    expect(archived.json().items.map((d: { id: string }) => d.id)).toEqual([doc.id]);
  });

  it('searches slugs and titles and pages through results with a cursor', async () => {
    const marker = `zebra${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await makeDocument(t.ctx, { title: { es: `Informe ${marker} ${i}` } }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/documents?q=${marker}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await api('GET', query, undefined, auditor);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(made.map((d) => d.id).sort());
  });

  it('refuses a cursor it did not hand out with 422', async () => {
    const res = await api('GET', '/documents?cursor=%27%20or%201%3D1');
    expect(res.statusCode).toBe(422);
  });

  it('gets a document with every file version per locale, the newest current', async () => {
    const doc = await makeDocument(t.ctx);
    const v1 = await uploadFile(t.app, admin.headers, doc.id, {
      name: 'dpa.pdf',
      bytes: await makePdf({ text: 'v1' }),
    });
    const v2 = await uploadFile(t.app, admin.headers, doc.id, {
      name: 'dpa.pdf',
      bytes: await makePdf({ text: 'v2' }),
    });
    const fr = await uploadFile(
      t.app,
      admin.headers,
      doc.id,
      { name: 'dpa-fr.pdf', bytes: await makePdf({ text: 'fr' }) },
      { locale: 'fr' },
    );
    const res = await api('GET', `/documents/${doc.id}`, undefined, auditor);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(
      body.files.map((f: { id: string; version: number; locale: string | null; current: boolean }) => [
        f.id,
        f.locale,
        f.version,
        f.current,
      ]),
    ).toEqual([
      [v2.id, null, 2, true],
      [v1.id, null, 1, false],
      [fr.id, 'fr', 1, true],
    ]);
    expect(body.currentFiles.map((f: { id: string }) => f.id).sort()).toEqual([v2.id, fr.id].sort());
    expect(JSON.stringify(body)).not.toMatch(/storage|trust-files/i);
  });

  it('answers 404 for an unknown document on every route', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api('GET', `/documents/${unknown}`)).json().code).toBe('document-not-found');
    expect((await api('PATCH', `/documents/${unknown}`, { position: 1 })).statusCode).toBe(404);
    expect((await api('POST', `/documents/${unknown}/archive`)).statusCode).toBe(404);
  });

  it('lets an auditor read but not create, change or archive', async () => {
    const doc = await makeDocument(t.ctx);
    expect((await api('GET', `/documents/${doc.id}`, undefined, auditor)).statusCode).toBe(200);
    const create = await api(
      'POST',
      '/documents',
      { slug: uniqueSlug('x'), title: { en: 'x' }, accessLevel: 'public' },
      auditor,
    );
    expect(create.statusCode).toBe(403);
    expect(create.json().code).toBe('forbidden');
    expect((await api('PATCH', `/documents/${doc.id}`, { position: 2 }, auditor)).statusCode).toBe(403);
    expect((await api('POST', `/documents/${doc.id}/archive`, undefined, auditor)).statusCode).toBe(403);
  });

  it('refuses an employee even reading, and anyone signed out', async () => {
    const employee = await loginAs(t.app, t.ctx, 'employee');
    expect((await api('GET', '/documents', undefined, employee)).statusCode).toBe(403);
    expect((await t.app.inject({ url: `${TRUST_API}/documents` })).statusCode).toBe(401);
  });
});
