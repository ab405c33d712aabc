import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError, generateKey, loadKeyring, sha256Hex } from '../../../src/core/crypto/index.ts';
import { objectKeyFor } from '../../../src/trust/documents/document-storage.ts';
import {
  MAX_FILE_BYTES,
  readStoredFile,
  resealDocumentFiles,
} from '../../../src/trust/documents/documents.files.ts';
import { trustDocumentFiles } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import {
  ENCRYPTED_PDF,
  type FilePart,
  makeDocument,
  makePdf,
  multipart,
  PNG_BYTES,
  TRUST_API,
  uploadFile,
} from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('uploading document files', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  const upload = async (
    documentId: string,
    file: FilePart | undefined,
    fields: Record<string, string> = {},
    options: { who?: SignedIn; fieldName?: string; extraFiles?: FilePart[] } = {},
  ) => {
    const body = await multipart(file, fields, options);
    return t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/documents/${documentId}/files`,
      headers: { ...(options.who ?? admin).headers, ...body.headers },
      payload: body.payload,
    });
  };
  const storedFiles = () => t.ctx.files.list('trust-files/');
  const fileRow = async (fileId: string) => {
    const [row] = await t.ctx.database.db
      .select()
      .from(trustDocumentFiles)
      .where(eq(trustDocumentFiles.id, fileId));
    return row;
  };

  it('stores a PDF as version 1 for every locale, answers its metadata, and audits the upload', async () => {
    const doc = await makeDocument(t.ctx);
    const bytes = await makePdf({ pages: 2 });
    const res = await upload(doc.id, { name: 'SOC 2 Type II.pdf', type: 'application/pdf', bytes });
    expect(res.statusCode).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({
      locale: null,
      version: 1,
      fileName: 'SOC 2 Type II.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: sha256Hex(bytes),
      current: true,
      uploadedBy: admin.made.user.id,
    });
    expect(res.body).not.toMatch(/storage|trust-files/i);
    const audit = (await auditEntries(t.ctx, 'trust.document.file-uploaded')).filter(
      (e) => e.targetId === doc.id,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: admin.made.user.id,
        details: expect.objectContaining({
          fileId: file.id,
          version: 1,
          locale: null,
          sha256: sha256Hex(bytes),
        }),
      }),
    ]);
  });

  it('keeps every version: replacing a locale’s file adds the next version and leaves other locales alone', async () => {
    const doc = await makeDocument(t.ctx);
    const es1 = await uploadFile(
      t.app,
      admin.headers,
      doc.id,
      { name: 'dpa.pdf', bytes: await makePdf() },
      { locale: 'es' },
    );
    const es2 = await uploadFile(
      t.app,
      admin.headers,
      doc.id,
      { name: 'dpa.pdf', bytes: await makePdf() },
      { locale: 'es' },
    );
    const all = await uploadFile(t.app, admin.headers, doc.id, { name: 'dpa.pdf', bytes: await makePdf() });
    expect([es1.version, es2.version, all.version]).toEqual([1, 2, 1]);
    expect([es1.locale, es2.locale, all.locale]).toEqual(['es', 'es', null]);
    const detail = (
      await t.app.inject({ url: `${TRUST_API}/documents/${doc.id}`, headers: admin.headers })
    ).json();
    expect(detail.files).toHaveLength(3);
    expect(detail.files.find((f: { id: string }) => f.id === es1.id).current).toBe(false);
  });

  it('accepts files well past the 1 MiB JSON body limit', async () => {
    const doc = await makeDocument(t.ctx);
    const bytes = Buffer.alloc(3 * 1024 * 1024, 'attest ');
    const res = await upload(doc.id, { name: 'big-notes.txt', type: 'text/plain', bytes });
    expect(res.statusCode).toBe(201);
    expect(res.json().sizeBytes).toBe(bytes.length);
  });

  it('accepts a non-PDF file (PNG) as a plain file', async () => {
    const doc = await makeDocument(t.ctx);
    const res = await upload(doc.id, { name: 'diagram.png', type: 'image/png', bytes: PNG_BYTES });
    expect(res.statusCode).toBe(201);
    expect(res.json().contentType).toBe('image/png');
  });

  it('encrypts files at rest: the stored bytes contain nothing of the plaintext', async () => {
    const doc = await makeDocument(t.ctx);
    const marker = `PLAINTEXT-MARKER-${Date.now()}`;
    const bytes = Buffer.from(`Confidential note ${marker}\n`.repeat(20));
    const file = await uploadFile(t.app, admin.headers, doc.id, {
      name: 'note.txt',
      type: 'text/plain',
      bytes,
    });
    const row = await fileRow(file.id);
    if (!row) throw new Error('no file row');
    const stored = Buffer.from((await t.ctx.files.get(objectKeyFor(row.storageKey))) ?? '', 'utf8');
    expect(stored.length).toBeGreaterThan(bytes.length);
    expect(stored.includes(Buffer.from(marker))).toBe(false);
    expect(stored.includes(Buffer.from('Confidential'))).toBe(false);
    expect(row.storageKey).not.toContain(doc.slug);
  });

  it('removes the written file when the database refuses the row, so nothing is left unreferenced', async () => {
    // A real failure inside the commit: a trigger that refuses one file name (this database is throw-away).
    await t.ctx.database.executeSql(`
      create function refuse_marked_upload() returns trigger language plpgsql as $$
      begin
        if new.file_name = 'refused-by-database.pdf' then raise exception 'simulated storage failure'; end if;
        return new;
      end $$;
      create trigger refuse_marked_upload before insert on trust_document_files
        for each row execute function refuse_marked_upload();`);
    const doc = await makeDocument(t.ctx);
    const before = (await storedFiles()).sort();
    const res = await upload(doc.id, { name: 'refused-by-database.pdf', bytes: await makePdf() });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('simulated');
    expect((await storedFiles()).sort()).toEqual(before);
    const detail = (
      await t.app.inject({ url: `${TRUST_API}/documents/${doc.id}`, headers: admin.headers })
    ).json();
    expect(detail.files).toEqual([]);
  });

  it('re-encrypts stored files under a new key after rotation, so the old key can go', async () => {
    const doc = await makeDocument(t.ctx);
    const bytes = await makePdf({ text: 'rotate me' });
    const file = await uploadFile(t.app, admin.headers, doc.id, { name: 'a.pdf', bytes });
    const row = await fileRow(file.id);
    if (!row) throw new Error('no file row');
    const oldKey = [...t.ctx.keyring.keys.values()][0]?.toString('base64') ?? '';
    const newKey = generateKey();
    const rotated = {
      ...t.ctx,
      keyring: loadKeyring({ secretKey: newKey, previousKeys: [oldKey], dataDir: t.dataDir }),
    };

    const first = await resealDocumentFiles(rotated);
    expect(first.resealed).toBeGreaterThanOrEqual(1);
    expect((await resealDocumentFiles(rotated)).resealed).toBe(0);
    const newOnly = { ...t.ctx, keyring: loadKeyring({ secretKey: newKey, dataDir: t.dataDir }) };
    expect((await readStoredFile(newOnly, row)).equals(bytes)).toBe(true);
    await expect(readStoredFile(t.ctx, row)).rejects.toMatchObject({
      reason: 'unreadable',
      cause: expect.any(DecryptionError),
    });
  });

  it('refuses a file over the size limit with 413 and stores nothing', async () => {
    const doc = await makeDocument(t.ctx);
    const before = (await storedFiles()).length;
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x41);
    const res = await upload(doc.id, { name: 'huge.txt', type: 'text/plain', bytes: big });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'document-file-too-large', limitBytes: MAX_FILE_BYTES });
    expect((await storedFiles()).length).toBe(before);
  });

  it('refuses a PNG named .pdf with 422 naming both types', async () => {
    const doc = await makeDocument(t.ctx);
    const res = await upload(doc.id, { name: 'report.pdf', type: 'application/pdf', bytes: PNG_BYTES });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'document-file-type-mismatch',
      declared: '.pdf',
      detected: 'png',
    });
  });

  it('refuses a file whose part declares a type its bytes are not', async () => {
    const doc = await makeDocument(t.ctx);
    const res = await upload(doc.id, { name: 'report.pdf', type: 'text/html', bytes: await makePdf() });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('document-file-type-mismatch');
  });

  it('refuses an extension outside the list with 422', async () => {
    const doc = await makeDocument(t.ctx);
    const res = await upload(doc.id, { name: 'setup.exe', bytes: Buffer.from('MZ\x90\x00') });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('document-file-type-unsupported');
  });

  it('refuses an encrypted PDF with 422: it could not be watermarked', async () => {
    const doc = await makeDocument(t.ctx);
    const before = (await storedFiles()).length;
    const res = await upload(doc.id, { name: 'locked.pdf', type: 'application/pdf', bytes: ENCRYPTED_PDF });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('document-pdf-encrypted');
    expect(res.json().detail).toContain('could not be watermarked');
    expect((await storedFiles()).length).toBe(before);
  });

  it('refuses a damaged PDF with 422', async () => {
    const doc = await makeDocument(t.ctx);
    const res = await upload(doc.id, { name: 'broken.pdf', bytes: Buffer.from('%PDF-1.7\n%garbage\n') });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('document-pdf-unreadable');
  });

  it('answers 404 for an unknown document', async () => {
    const res = await upload('00000000-0000-4000-8000-000000000000', {
      name: 'a.pdf',
      bytes: await makePdf(),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('document-not-found');
  });

  it('refuses a role without trust.content.manage with 403', async () => {
    const doc = await makeDocument(t.ctx);
    const auditor = await loginAs(t.app, t.ctx, 'auditor');
    const res = await upload(doc.id, { name: 'a.pdf', bytes: await makePdf() }, {}, { who: auditor });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a body without a file, a JSON body, two files and an unknown locale, each with a 4xx problem', async () => {
    const doc = await makeDocument(t.ctx);
    const pdf = { name: 'a.pdf', bytes: await makePdf() };
    expect((await upload(doc.id, undefined, { locale: 'en' })).json().code).toBe('document-file-missing');
    const json = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/documents/${doc.id}/files`,
      headers: admin.headers,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().code).toBe('document-file-missing');
    const two = await upload(doc.id, pdf, {}, { extraFiles: [pdf] });
    expect(two.statusCode).toBe(400);
    const wrongField = await upload(doc.id, pdf, {}, { fieldName: 'attachment' });
    expect(wrongField.statusCode).toBe(400);
    const locale = await upload(doc.id, pdf, { locale: 'de' });
    expect(locale.statusCode).toBe(422);
    expect(locale.json().code).toBe('validation-failed');
  });

  it('streams a stored version back to staff unchanged, audited, without caching', async () => {
    const doc = await makeDocument(t.ctx);
    const bytes = await makePdf({ text: 'preview me' });
    const file = await uploadFile(t.app, admin.headers, doc.id, {
      name: 'Política de privacidad.pdf',
      bytes,
    });
    const auditor = await loginAs(t.app, t.ctx, 'auditor');
    const res = await t.app.inject({
      url: `${TRUST_API}/documents/${doc.id}/files/${file.id}`,
      headers: auditor.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="Politica de privacidad.pdf"; filename*=UTF-8''Pol%C3%ADtica%20de%20privacidad.pdf`,
    );
    const audit = (await auditEntries(t.ctx, 'trust.document.file-previewed')).filter(
      (e) => e.targetId === doc.id,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: auditor.made.user.id,
        details: expect.objectContaining({ fileId: file.id }),
      }),
    ]);
  });

  it('answers 404 for a file of another document', async () => {
    const doc = await makeDocument(t.ctx);
    const other = await makeDocument(t.ctx);
    const file = await uploadFile(t.app, admin.headers, other.id, { name: 'a.pdf', bytes: await makePdf() });
    const res = await t.app.inject({
      url: `${TRUST_API}/documents/${doc.id}/files/${file.id}`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('document-file-not-found');
  });

  it('refuses to preview a file that was tampered with at rest, without leaking the path', async () => {
    const doc = await makeDocument(t.ctx);
    const file = await uploadFile(t.app, admin.headers, doc.id, { name: 'a.pdf', bytes: await makePdf() });
    const other = await uploadFile(t.app, admin.headers, doc.id, { name: 'b.pdf', bytes: await makePdf() });
    const [row, otherRow] = [await fileRow(file.id), await fileRow(other.id)];
    if (!row || !otherRow) throw new Error('no file rows');
    // Swap in another file's ciphertext: it is bound to its own row, so it must not open as this one.
    const otherSealed = await t.ctx.files.get(objectKeyFor(otherRow.storageKey));
    await t.ctx.files.put(objectKeyFor(row.storageKey), otherSealed as string);
    const res = await t.app.inject({
      url: `${TRUST_API}/documents/${doc.id}/files/${file.id}`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'document-file-unavailable', reason: 'unreadable' });
    expect(res.body).not.toContain(row.storageKey);
    expect(res.body).not.toContain('trust-files');
  });
});
