import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustDocumentFiles, trustDocuments } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('certification badges link to their certificate documents', () => {
  let t: TestApp;
  let admin: SignedIn;
  const api = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/trust${url}`, headers: admin.headers, payload });

  async function document(slug: string, accessLevel: 'public' | 'request' | 'nda', withFile = true) {
    const [doc] = await t.ctx.database.db
      .insert(trustDocuments)
      .values({ slug, title: { en: slug }, accessLevel })
      .returning();
    if (withFile) {
      await t.ctx.database.db.insert(trustDocumentFiles).values({
        documentId: doc?.id as string,
        locale: null,
        version: 1,
        fileName: `${slug}.pdf`,
        contentType: 'application/pdf',
        sizeBytes: 100,
        sha256: 'c'.repeat(64),
        storageKey: randomUUID(),
      });
    }
    return doc?.id as string;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('refuses a certificate that is no document', async () => {
    const res = await api('POST', '/certifications', {
      name: 'ISO 27001',
      status: 'compliant',
      documentId: randomUUID(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].pointer).toBe('/documentId');
  });

  it('links the badge to the document page, which applies its access level, and says the level', async () => {
    const iso = await document('iso-27001-certificate', 'public');
    const soc = await document('soc2-report', 'nda');
    const created = await api('POST', '/certifications', {
      name: 'ISO 27001',
      status: 'compliant',
      documentId: iso,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().documentId).toBe(iso);
    await api('POST', '/certifications', { name: 'SOC 2 Type II', status: 'compliant', documentId: soc });
    expect((await api('POST', '/publish')).statusCode).toBe(201);

    const fr = (await t.app.inject({ url: '/fr/' })).body;
    expect(fr).toContain(
      '<a href="/fr/documents/iso-27001-certificate">Voir le certificat ISO 27001</a> <span class="meta">(Public)</span>',
    );
    expect(fr).toContain('<a href="/fr/documents/soc2-report">Voir le certificat SOC 2 Type II</a>');
    // The NDA document's page asks for the agreement: the badge gives no way around it.
    const socPage = await t.app.inject({ url: '/en/documents/soc2-report' });
    expect(socPage.statusCode).toBe(200);
    expect(socPage.body).not.toMatch(/href="[^"]*soc2-report\/download"/);
  });

  it('shows no link while the certificate has no file on the site', async () => {
    const draft = await document('pci-certificate', 'public', false);
    await api('POST', '/certifications', { name: 'PCI DSS', status: 'in_progress', documentId: draft });
    expect((await api('POST', '/publish')).statusCode).toBe(201);
    const en = (await t.app.inject({ url: '/en/' })).body;
    expect(en).toContain('PCI DSS');
    expect(en).not.toContain('/en/documents/pci-certificate');
  });
});
