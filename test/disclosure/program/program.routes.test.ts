import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProgramVersion, getPublishedProgram } from '../../../src/disclosure/program/program.service.ts';
import { disclosureProgramVersions } from '../../../src/disclosure/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { DISCLOSURE_API, editDraft, publish, publishWithContact, readDraft } from './program-helpers.ts';

describe('program source: draft, publish, versions', () => {
  let t: TestApp;
  let admin: SignedIn;
  let security: SignedIn;
  let auditor: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    // Reading a fresh install's program publishes nothing: readers get the unpublished defaults.
    const raced = await Promise.all(
      Array.from({ length: 6 }, () => getPublishedProgram(t.ctx, t.ctx.database.db)),
    );
    expect(raced.map((p) => p.version)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await t.ctx.database.db.select().from(disclosureProgramVersions)).toEqual([]);
    admin = await loginAs(t.app, t.ctx, 'admin');
    security = await loginAs(t.app, t.ctx, 'security');
    auditor = await loginAs(t.app, t.ctx, 'auditor');
    expect(await publishWithContact(t.app, admin.headers)).toBe(1);
  });
  afterAll(() => t?.close());

  it('makes version 1 only when someone publishes, audited as that user', async () => {
    const rows = await t.ctx.database.db.select().from(disclosureProgramVersions);
    expect(rows.map((r) => r.version)).toEqual([1]);
    const published = await auditEntries(t.ctx, 'disclosure.program.published');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      actorType: 'user',
      actorId: admin.made.user.id,
      targetId: '1',
      details: { version: 1 },
    });
    const v1 = await getProgramVersion(t.ctx, 1);
    expect(v1?.source.responseBusinessDays).toBe(3);
    expect(v1?.source.disclosureDeadlineDays).toBe(90);
    expect(v1?.source.companyName).toBe('Attest');
  });

  it('keeps draft edits out of the published program until publish, then numbers versions up', async () => {
    const saved = await editDraft(t.app, security.headers, (source) => {
      source.responseBusinessDays = 5;
      source.introduction.en = 'Draft introduction, not public yet.';
      return source;
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().source.responseBusinessDays).toBe(5);
    expect(saved.json().publishedVersion).toBe(1);
    expect((await getPublishedProgram(t.ctx, t.ctx.database.db)).source.responseBusinessDays).toBe(3);
    const md = await t.app.inject({ method: 'GET', url: `${DISCLOSURE_API}/policy.md?locale=en` });
    expect(md.body).not.toContain('Draft introduction');

    const first = await publish(t.app, security.headers);
    expect(first).toBe(2);
    const second = await publish(t.app, admin.headers);
    expect(second).toBe(3);
    const published = await getPublishedProgram(t.ctx);
    expect(published.version).toBe(3);
    expect(published.source.responseBusinessDays).toBe(5);
    expect((await getProgramVersion(t.ctx, 1))?.source.responseBusinessDays).toBe(3);

    const versions = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/versions`,
      headers: auditor.headers,
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const v2 = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/versions/2`,
      headers: auditor.headers,
    });
    expect(v2.json().source.introduction.en).toBe('Draft introduction, not public yet.');
    const missing = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/versions/99`,
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);

    const audit = await auditEntries(t.ctx, 'disclosure.program.published');
    expect(audit.map((entry) => entry.targetId)).toEqual(['1', '2', '3']);
    expect(audit[1]).toMatchObject({ actorType: 'user', actorId: security.made.user.id });
    const edits = await auditEntries(t.ctx, 'disclosure.program.draft-updated');
    expect(edits.at(-1)).toMatchObject({
      actorId: security.made.user.id,
      details: { responseBusinessDays: 5 },
    });
  });

  it('refuses an invalid draft with 422 problem+json naming each field', async () => {
    const res = await editDraft(t.app, admin.headers, (source) => {
      const [first] = source.outOfScopeCategories;
      if (first) source.outOfScopeCategories.push({ ...first, vrtId: 'not_a.real_vrt_id' });
      source.contacts = [{ kind: 'email', value: 'security@example.com', label: {} }];
      source.holidays = { country: 'ZZ', region: null };
      source.introduction = { es: 'Solo en español' };
      return source;
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/outOfScopeCategories/13/key',
        '/outOfScopeCategories/13/vrtId',
        '/contacts/0/value',
        '/holidays/country',
        '/introduction/en',
      ]),
    );

    const schemaError = await t.app.inject({
      method: 'PUT',
      url: `${DISCLOSURE_API}/program/draft`,
      headers: admin.headers,
      payload: {
        ...(await readDraft(t.app, admin.headers)),
        responseBusinessDays: 0,
        timeZone: 'Mars/Olympus',
      },
    });
    expect(schemaError.statusCode).toBe(422);
    expect(schemaError.json().code).toBe('validation-failed');
  });

  it('lets the auditor read the draft, versions and previews but not save, publish or manage keys', async () => {
    const read = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/draft`,
      headers: auditor.headers,
    });
    expect(read.statusCode).toBe(200);
    const preview = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/preview?locale=fr&render=markdown`,
      headers: auditor.headers,
    });
    expect(preview.statusCode).toBe(200);
    const writes = [
      { method: 'PUT' as const, url: '/program/draft', payload: read.json().source },
      { method: 'POST' as const, url: '/program/publish' },
      { method: 'POST' as const, url: '/program/keys', payload: {} },
      { method: 'POST' as const, url: '/program/keys/import', payload: { armoredKey: 'x' } },
    ];
    for (const write of writes) {
      const res = await t.app.inject({
        ...write,
        url: `${DISCLOSURE_API}${write.url}`,
        headers: auditor.headers,
      });
      expect(res.statusCode, write.url).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    const employee = await loginAs(t.app, t.ctx, 'employee');
    const denied = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/draft`,
      headers: employee.headers,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('previews the draft in the three renders, marked as not public', async () => {
    await editDraft(t.app, admin.headers, (source) => {
      source.introduction.fr = 'Introduction du brouillon pour l’aperçu.';
      return source;
    });
    const html = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/preview?locale=fr&render=html`,
      headers: admin.headers,
    });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['cache-control']).toBe('no-store');
    expect(html.body).toContain('Introduction du brouillon pour l’aperçu.');
    expect(html.body).toContain('<meta name="robots" content="noindex, nofollow">');
    const md = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/preview?locale=fr&render=markdown`,
      headers: admin.headers,
    });
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('Introduction du brouillon pour l’aperçu.');
    const txt = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/preview?render=securitytxt`,
      headers: admin.headers,
    });
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.body).toMatch(/^Expires: /m);
    const publicMd = await t.app.inject({ method: 'GET', url: `${DISCLOSURE_API}/policy.md?locale=fr` });
    expect(publicMd.body).not.toContain('Introduction du brouillon');
  });
});
