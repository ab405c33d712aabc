import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustEvents } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import {
  type MadeDocument,
  makeDocument,
  makePdf,
  makeVisitor,
  pdfPageTexts,
  TRUST_API,
  uploadFile,
} from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('downloading documents', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  const publish = async () => {
    const res = await t.app.inject({ method: 'POST', url: `${TRUST_API}/publish`, headers: admin.headers });
    expect(res.statusCode).toBe(201);
  };
  /** A document with a PDF for every locale (and optionally other files), published. */
  const published = async (
    options: Parameters<typeof makeDocument>[1] & { pages?: number } = {},
  ): Promise<MadeDocument> => {
    const doc = await makeDocument(t.ctx, options);
    await uploadFile(t.app, admin.headers, doc.id, {
      name: `${doc.slug}.pdf`,
      bytes: await makePdf({ pages: options.pages ?? 1, text: 'default file' }),
    });
    await publish();
    return doc;
  };
  const download = (url: string) => t.app.inject({ url, headers: { 'user-agent': 'vitest-downloader' } });
  const eventsFor = (documentId: string) =>
    t.ctx.database.db.select().from(trustEvents).where(eq(trustEvents.documentId, documentId));
  const expectNotFound = async (url: string) => {
    const res = await download(url);
    expect(res.statusCode, url).toBe(404);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['set-cookie']).toBeUndefined();
    return res;
  };

  describe('public documents', () => {
    it('download with no request, stamped on every page with the download id, and are recorded', async () => {
      const doc = await published({ pages: 3 });
      const res = await download(`/en/documents/${doc.slug}/download`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${doc.slug}.pdf"; filename*=UTF-8''${doc.slug}.pdf`,
      );
      expect(res.headers['set-cookie']).toBeUndefined();
      const downloadId = res.headers['x-download-id'] as string;
      const pages = await pdfPageTexts(res.rawPayload);
      expect(pages).toHaveLength(3);
      for (const text of pages) {
        expect(text).toContain('default file');
        expect(text).toContain(`Download ID ${downloadId}`);
      }

      const events = await eventsFor(doc.id);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'downloaded',
          downloadId,
          visitorId: null,
          locale: 'en',
          userAgent: 'vitest-downloader',
        }),
      ]);
      const audit = (await auditEntries(t.ctx, 'trust.document.downloaded')).filter(
        (e) => e.targetId === doc.id,
      );
      expect(audit).toEqual([
        expect.objectContaining({
          actorType: 'anonymous',
          details: expect.objectContaining({ downloadId, watermarked: true, visitorId: null, grantId: null }),
        }),
      ]);
    });

    it('gives each download its own id', async () => {
      const doc = await published();
      const first = await download(`/en/documents/${doc.slug}/download`);
      const second = await download(`/en/documents/${doc.slug}/download`);
      expect(first.headers['x-download-id']).not.toBe(second.headers['x-download-id']);
      expect((await eventsFor(doc.id)).map((e) => e.downloadId).sort()).toEqual(
        [first.headers['x-download-id'], second.headers['x-download-id']].sort(),
      );
    });

    it('serves the visitor’s locale’s own file, else the file for every locale', async () => {
      const doc = await makeDocument(t.ctx);
      await uploadFile(t.app, admin.headers, doc.id, {
        name: 'dpa.pdf',
        bytes: await makePdf({ text: 'default file' }),
      });
      await uploadFile(
        t.app,
        admin.headers,
        doc.id,
        { name: 'dpa-es.pdf', bytes: await makePdf({ text: 'archivo en castellano' }) },
        { locale: 'es' },
      );
      await publish();
      const es = await download(`/es/documents/${doc.slug}/download`);
      expect((await pdfPageTexts(es.rawPayload))[0]).toContain('archivo en castellano');
      expect((await pdfPageTexts(es.rawPayload))[0]).toContain('ID de descarga');
      const fr = await download(`/fr/documents/${doc.slug}/download`);
      expect((await pdfPageTexts(fr.rawPayload))[0]).toContain('default file');
      expect(fr.headers['content-disposition']).toContain('filename="dpa.pdf"');
    });

    it('falls back to the default locale’s file when there is neither the visitor’s nor one for every locale', async () => {
      const doc = await makeDocument(t.ctx);
      const only = { name: 'dpa-en.pdf', bytes: await makePdf({ text: 'english only' }) };
      await uploadFile(t.app, admin.headers, doc.id, only, { locale: 'en' });
      await publish();
      const fr = await download(`/fr/documents/${doc.slug}/download`);
      expect(fr.statusCode).toBe(200);
      const [text] = await pdfPageTexts(fr.rawPayload);
      expect(text).toContain('english only');
      expect(text).toContain('Identifiant de téléchargement');
    });

    it('serves a non-PDF file as it was uploaded, and still records it', async () => {
      const doc = await makeDocument(t.ctx);
      const text = Buffer.from('Security whitepaper, plain text edition.\n');
      await uploadFile(t.app, admin.headers, doc.id, {
        name: 'whitepaper.txt',
        type: 'text/plain',
        bytes: text,
      });
      await publish();
      const res = await download(`/en/documents/${doc.slug}/download`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(text)).toBe(true);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-disposition']).toContain('attachment;');
      const [event] = await eventsFor(doc.id);
      expect(event?.downloadId).toBe(res.headers['x-download-id']);
    });

    it('are not offered before they are published', async () => {
      const doc = await makeDocument(t.ctx);
      await uploadFile(t.app, admin.headers, doc.id, { name: 'a.pdf', bytes: await makePdf() });
      await expectNotFound(`/en/documents/${doc.slug}/download`);
      expect(await eventsFor(doc.id)).toEqual([]);
    });

    it('answer 404 once archived, even while the publication still lists them', async () => {
      const doc = await published();
      await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/documents/${doc.id}/archive`,
        headers: admin.headers,
      });
      await expectNotFound(`/en/documents/${doc.slug}/download`);
    });

    it('answer 404 once expired and before their validity starts', async () => {
      const expired = await published({ validUntil: day(-1) });
      await expectNotFound(`/en/documents/${expired.slug}/download`);
      const scheduled = await published({ validFrom: day(1) });
      await expectNotFound(`/en/documents/${scheduled.slug}/download`);
      const lastDay = await published({ validUntil: day(0) });
      expect((await download(`/en/documents/${lastDay.slug}/download`)).statusCode).toBe(200);
    });

    it('answer 404 for unknown, malformed and non-public slugs, in the visitor’s language', async () => {
      await expectNotFound('/en/documents/no-such-document/download');
      await expectNotFound('/en/documents/..%2F..%2Fetc/download');
      await expectNotFound(`/en/documents/${'a'.repeat(120)}/download`);
      const gated = await published({ accessLevel: 'request' });
      const res = await expectNotFound(`/fr/documents/${gated.slug}/download`);
      expect(res.body).toContain('<html lang="fr"');
      expect(await eventsFor(gated.id)).toEqual([]);
    });

    it('are never stamped or recorded by a HEAD request', async () => {
      const doc = await published();
      const res = await t.app.inject({ method: 'HEAD', url: `/en/documents/${doc.slug}/download` });
      expect(res.statusCode).not.toBe(200);
      expect(await eventsFor(doc.id)).toEqual([]);
    });
  });

  describe('gated documents', () => {
    it('download with a grant, stamped on every page with the visitor’s name, company, e-mail and download id', async () => {
      const doc = await published({ accessLevel: 'request', pages: 4 });
      const visitor = await makeVisitor(t.ctx, {
        name: 'Zoë Łukasz 田中',
        company: 'Ćwiczenia Sp. z o.o.',
        grant: { documentIds: [doc.id] },
      });
      const res = await download(`/en/access/${visitor.accessToken}/documents/${doc.slug}/download`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['set-cookie']).toBeUndefined();
      const downloadId = res.headers['x-download-id'] as string;
      const pages = await pdfPageTexts(res.rawPayload);
      expect(pages).toHaveLength(4);
      for (const text of pages) {
        expect(text).toContain('Downloaded by Zoë Łukasz 田中, Ćwiczenia Sp. z o.o.');
        expect(text).toContain(visitor.email);
        expect(text).toContain(downloadId);
        expect(text).toMatch(/UTC/);
      }
      expect(await eventsFor(doc.id)).toEqual([
        expect.objectContaining({
          type: 'downloaded',
          downloadId,
          visitorId: visitor.id,
          company: 'Ćwiczenia Sp. z o.o.',
        }),
      ]);
      const [audit] = (await auditEntries(t.ctx, 'trust.document.downloaded')).filter(
        (e) => e.targetId === doc.id,
      );
      expect(audit?.details).toMatchObject({
        downloadId,
        visitorId: visitor.id,
        grantId: expect.any(String),
      });
      expect(audit).toMatchObject({ actorType: 'visitor', actorId: visitor.id });
      expect(JSON.stringify(audit)).not.toContain(visitor.email);
    });

    it('stamp in the language of the page the visitor downloads from', async () => {
      const doc = await published({ accessLevel: 'request' });
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'request' } });
      const res = await download(`/es/access/${visitor.accessToken}/documents/${doc.slug}/download`);
      const [text] = await pdfPageTexts(res.rawPayload);
      expect(text).toContain(`Descargado por Vera Visitor, Example Buyer Ltd <${visitor.email}>`);
      expect(text).toContain('ID de descarga');
    });

    it('answer 404 for a tampered token, a grant for another document, or a revoked grant', async () => {
      const doc = await published({ accessLevel: 'request' });
      const other = await published({ accessLevel: 'request' });
      const holder = await makeVisitor(t.ctx, { grant: { documentIds: [doc.id] } });
      const tampered = `${holder.accessToken.slice(0, -2)}${holder.accessToken.endsWith('AA') ? 'BB' : 'AA'}`;
      await expectNotFound(`/en/access/${tampered}/documents/${doc.slug}/download`);
      await expectNotFound(`/en/access/not-a-token/documents/${doc.slug}/download`);
      await expectNotFound(`/en/access/${holder.accessToken}/documents/${other.slug}/download`);
      const revoked = await makeVisitor(t.ctx, { grant: { documentIds: [doc.id], revoked: true } });
      await expectNotFound(`/en/access/${revoked.accessToken}/documents/${doc.slug}/download`);
      const lapsed = await makeVisitor(t.ctx, {
        grant: { documentIds: [doc.id], expiresAt: new Date(Date.now() - 1000) },
      });
      await expectNotFound(`/en/access/${lapsed.accessToken}/documents/${doc.slug}/download`);
      expect(await eventsFor(doc.id)).toEqual([]);
    });

    it('need an NDA in place for nda documents: refused without one, served with a paper-NDA exemption', async () => {
      const doc = await published({ accessLevel: 'nda' });
      const noNda = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      await expectNotFound(`/en/access/${noNda.accessToken}/documents/${doc.slug}/download`);
      const exempt = await makeVisitor(t.ctx, { grant: { level: 'nda' }, ndaExempt: true });
      expect(
        (await download(`/en/access/${exempt.accessToken}/documents/${doc.slug}/download`)).statusCode,
      ).toBe(200);
    });

    it('answer 404 for an nda document under a request-level grant', async () => {
      const doc = await published({ accessLevel: 'nda' });
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'request' }, ndaExempt: true });
      await expectNotFound(`/en/access/${visitor.accessToken}/documents/${doc.slug}/download`);
    });

    it('serve public documents through a live token too, stamped for the visitor', async () => {
      const doc = await published({ accessLevel: 'public' });
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'request' } });
      const res = await download(`/en/access/${visitor.accessToken}/documents/${doc.slug}/download`);
      expect(res.statusCode).toBe(200);
      expect((await pdfPageTexts(res.rawPayload))[0]).toContain(visitor.email);
    });

    it('answer 404 for archived and expired documents even with a grant', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' }, ndaExempt: true });
      const archived = await published({ accessLevel: 'request', archived: true });
      await expectNotFound(`/en/access/${visitor.accessToken}/documents/${archived.slug}/download`);
      const expired = await published({ accessLevel: 'request', validUntil: day(-1) });
      await expectNotFound(`/en/access/${visitor.accessToken}/documents/${expired.slug}/download`);
    });
  });
});
