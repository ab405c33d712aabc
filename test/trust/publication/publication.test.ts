import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDraftSnapshot } from '../../../src/trust/publication/publication.service.ts';
import { trustDocumentFiles, trustDocuments, trustPublications } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

const API = '/api/v1/trust';

// One app for the file: tests before the first publish come first, and the rest compare against what
// they published themselves, so they hold in any state the earlier tests left.
describe('publishing the trust center', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `${API}${url}`, headers: admin.headers, payload });
  const publish = async () => {
    const res = await api('POST', '/publish');
    expect(res.statusCode).toBe(201);
    return res.json() as { version: number; publishedAt: string };
  };

  const status = async () => {
    const res = await api('GET', '/publication-status');
    expect(res.statusCode).toBe(200);
    return res.json() as { publishedVersion: number | null; unpublishedChanges: boolean; liveUrl: string };
  };

  it('says everything is unpublished before the first publish, with where the live site will be', async () => {
    expect(await status()).toEqual({
      publishedVersion: null,
      publishedAt: null,
      unpublishedChanges: true,
      liveUrl: `${t.ctx.config.publicUrl}/`,
    });
  });

  it('shows visitors nothing of the draft until it is published', async () => {
    await api('POST', '/certifications', { name: 'SOC 2 Type II', status: 'compliant' });
    const before = await t.app.inject({ url: '/en/' });
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('not been published yet');
    expect(before.body).not.toContain('SOC 2 Type II');

    await publish();
    const after = await t.app.inject({ url: '/en/' });
    expect(after.body).toContain('SOC 2 Type II');
  });

  it('keeps serving the published page while the draft changes, and replaces it on the next publish', async () => {
    const cert = (await api('POST', '/certifications', { name: 'ISO 27001', status: 'in_progress' })).json();
    await publish();
    const first = await t.app.inject({ url: '/es/' });
    expect(first.body).toContain('En curso');

    await api('PATCH', `/certifications/${cert.id}`, { status: 'compliant', auditor: 'Auditores Ejemplo' });
    const stale = await t.app.inject({ url: '/es/' });
    expect(stale.body).toBe(first.body);
    expect(stale.headers.etag).toBe(first.headers.etag);

    await publish();
    const fresh = await t.app.inject({ url: '/es/' });
    expect(fresh.body).toContain('Auditores Ejemplo');
    expect(fresh.body).toContain('Conforme');
    expect(fresh.headers.etag).not.toBe(first.headers.etag);
  });

  it('publishes the seeded overview (never edited here) with the first publication', async () => {
    const page = await t.app.inject({ url: '/fr/' });
    expect(page.body).toContain('Détection d’intrusion');
    expect(page.body).toContain('Authentification multifacteur');
  });

  it('tells whether the draft has unpublished changes, as the disclosure program does', async () => {
    const { version } = await publish();
    expect(await status()).toMatchObject({ publishedVersion: version, unpublishedChanges: false });
    const faq = (
      await api('POST', '/faqs', { question: { en: 'Do you encrypt?' }, answer: { en: 'Yes.' } })
    ).json();
    expect((await status()).unpublishedChanges).toBe(true);
    await publish();
    expect((await status()).unpublishedChanges).toBe(false);
    await api('PATCH', '/profile', { summary: { en: 'We take security seriously, with evidence.' } });
    expect((await status()).unpublishedChanges).toBe(true);
    await publish();
    const del = await t.app.inject({
      method: 'DELETE',
      url: `${API}/faqs/${faq.id}`,
      headers: admin.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await status()).unpublishedChanges).toBe(true);
  });

  it('records trust.published with the new version', async () => {
    const { version } = await publish();
    const rows = (await auditEntries(t.ctx, 'trust.published')).filter((r) => r.targetId === String(version));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.made.user.id });
    expect(rows[0]?.details).toMatchObject({ version, sections: 13 });
  });

  it('lists past publications newest first', async () => {
    const first = await publish();
    const second = await publish();
    const res = await api('GET', '/publications');
    expect(res.statusCode).toBe(200);
    const versions = (res.json().items as { version: number }[]).map((p) => p.version);
    expect(versions.slice(0, 2)).toEqual([second.version, first.version]);
  });

  it("puts the documents module's documents, with their file locales, into the snapshot", async () => {
    const [doc] = await t.ctx.database.db
      .insert(trustDocuments)
      .values({ slug: 'dpa', title: { en: 'Data Processing Agreement' }, accessLevel: 'public' })
      .returning();
    await t.ctx.database.db.insert(trustDocumentFiles).values({
      documentId: doc?.id as string,
      locale: 'fr',
      version: 1,
      fileName: 'dpa-fr.pdf',
      contentType: 'application/pdf',
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
      storageKey: randomUUID(),
    });
    const snapshot = await buildDraftSnapshot(t.ctx, t.ctx.database.db);
    expect(snapshot.documents).toEqual([
      expect.objectContaining({
        slug: 'dpa',
        accessLevel: 'public',
        fileLocales: ['fr'],
        hasDefaultFile: false,
      }),
    ]);
    await publish();
    expect((await t.app.inject({ url: '/en/documents/dpa' })).statusCode).toBe(200);
  });

  it('picks up a publication made by another process sharing the database within seconds', async () => {
    await publish();
    expect((await t.app.inject({ url: '/en/' })).body).not.toContain('Published elsewhere');
    // Another Attest process on the same PostgreSQL writes a publication; this one has no listener call.
    const snapshot = await buildDraftSnapshot(t.ctx, t.ctx.database.db);
    await t.ctx.database.db.insert(trustPublications).values({
      // A marker in the summary: the company name shown is the organization's (core settings), not the snapshot's.
      snapshot: { ...snapshot, profile: { ...snapshot.profile, summary: { en: 'Published elsewhere' } } },
    });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await t.app.inject({ url: '/en/' })).body).toContain('Published elsewhere');
  });
});
