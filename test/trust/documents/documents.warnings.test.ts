import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKeyFor } from '../../../src/trust/documents/document-storage.ts';
import { trustDocumentFiles } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import {
  makeDocument,
  makeOoxml,
  makePdf,
  makeVisitor,
  PNG_BYTES,
  TRUST_API,
  uploadFile,
} from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

/**
 * Issue 7, items 13 and 14: the admin hears about what a visitor can't be given properly, a gated file
 * served without the watermark (only PDFs are stamped) and a stored file that is gone (404, never 500).
 */
describe('document warnings for the admin', () => {
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
  const detail = async (id: string) => {
    const res = await t.app.inject({ url: `${TRUST_API}/documents/${id}`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const listed = async (id: string) => {
    const res = await t.app.inject({ url: `${TRUST_API}/documents?limit=100`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    return res.json().items.find((item: { id: string }) => item.id === id);
  };

  describe('gated documents that are not PDFs', () => {
    it('are flagged: their files are served without the watermark', async () => {
      const nda = await makeDocument(t.ctx, { accessLevel: 'nda' });
      await uploadFile(t.app, admin.headers, nda.id, { name: 'controls.xlsx', bytes: makeOoxml('xlsx') });
      const request = await makeDocument(t.ctx, { accessLevel: 'request' });
      await uploadFile(t.app, admin.headers, request.id, { name: 'diagram.png', bytes: PNG_BYTES });

      for (const doc of [nda, request]) {
        const item = await listed(doc.id);
        expect(item.warnings).toEqual(['gated-file-not-watermarked']);
        expect(item.currentFiles).toEqual([expect.objectContaining({ watermarked: false, missing: false })]);
        expect((await detail(doc.id)).warnings).toEqual(['gated-file-not-watermarked']);
      }
    });

    it('lose the flag once the current file is a PDF, and public documents never carry it', async () => {
      const gated = await makeDocument(t.ctx, { accessLevel: 'request' });
      await uploadFile(t.app, admin.headers, gated.id, { name: 'diagram.png', bytes: PNG_BYTES });
      await uploadFile(t.app, admin.headers, gated.id, { name: 'report.pdf', bytes: await makePdf() });
      const item = await listed(gated.id);
      expect(item.warnings).toEqual([]);
      expect(item.currentFiles).toEqual([expect.objectContaining({ watermarked: true })]);
      // Older versions keep their own answer.
      expect((await detail(gated.id)).files.map((f: { watermarked: boolean }) => f.watermarked)).toEqual([
        true,
        false,
      ]);

      const open = await makeDocument(t.ctx, { accessLevel: 'public' });
      await uploadFile(t.app, admin.headers, open.id, { name: 'diagram.png', bytes: PNG_BYTES });
      expect((await listed(open.id)).warnings).toEqual([]);
    });

    it('are flagged after a level change makes a non-PDF document gated', async () => {
      const doc = await makeDocument(t.ctx, { accessLevel: 'public' });
      await uploadFile(t.app, admin.headers, doc.id, { name: 'policy.docx', bytes: makeOoxml('docx') });
      const res = await t.app.inject({
        method: 'PATCH',
        url: `${TRUST_API}/documents/${doc.id}`,
        headers: admin.headers,
        payload: { accessLevel: 'nda' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().warnings).toEqual(['gated-file-not-watermarked']);
    });
  });

  describe('a stored file that is gone', () => {
    it('answers visitors 404 (never 500), records why, and is flagged in the documents list', async () => {
      const doc = await makeDocument(t.ctx, { accessLevel: 'request' });
      const file = await uploadFile(t.app, admin.headers, doc.id, {
        name: 'report.pdf',
        bytes: await makePdf(),
      });
      await publish();
      const visitor = await makeVisitor(t.ctx, { grant: { documentIds: [doc.id] } });
      const url = `/en/access/${visitor.accessToken}/documents/${doc.slug}/download`;
      expect((await t.app.inject({ url })).statusCode).toBe(200);

      const [row] = await t.ctx.database.db
        .select()
        .from(trustDocumentFiles)
        .where(eq(trustDocumentFiles.id, file.id));
      await t.ctx.files.remove(objectKeyFor(row?.storageKey as string));

      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).not.toContain('trust-files');
      const audit = (await auditEntries(t.ctx, 'trust.document.file-unavailable')).filter(
        (entry) => entry.targetId === doc.id,
      );
      expect(audit).toEqual([
        expect.objectContaining({ details: expect.objectContaining({ fileId: file.id, reason: 'missing' }) }),
      ]);

      const item = await listed(doc.id);
      expect(item.warnings).toEqual(['file-missing']);
      expect(item.currentFiles).toEqual([expect.objectContaining({ id: file.id, missing: true })]);

      const preview = await t.app.inject({
        url: `${TRUST_API}/documents/${doc.id}/files/${file.id}`,
        headers: admin.headers,
      });
      expect(preview.statusCode).toBe(409);
      expect(preview.headers['content-type']).toContain('application/problem+json');
      expect(preview.json()).toMatchObject({ code: 'document-file-unavailable', reason: 'missing' });

      // Uploading the file again clears the warning.
      await uploadFile(t.app, admin.headers, doc.id, { name: 'report.pdf', bytes: await makePdf() });
      expect((await listed(doc.id)).warnings).toEqual([]);
    });
  });
});
