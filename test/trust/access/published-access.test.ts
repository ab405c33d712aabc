import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, visitorEmail } from '../../fixtures/access.ts';
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
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

/**
 * Issue 7, item 9: visitors only ever reach what the latest publication offers, at the level it shows.
 * The draft (a new document, a changed access level, a new file version) waits for the next publish.
 */
describe('visitors reach only what the latest publication offers', () => {
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
  const setLevel = async (doc: MadeDocument, accessLevel: 'public' | 'request' | 'nda') => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `${TRUST_API}/documents/${doc.id}`,
      headers: admin.headers,
      payload: { accessLevel },
    });
    expect(res.statusCode).toBe(200);
  };
  const withPdf = async (accessLevel: 'public' | 'request' | 'nda', text = 'first version') => {
    const doc = await makeDocument(t.ctx, { accessLevel });
    await uploadFile(t.app, admin.headers, doc.id, {
      name: `${doc.slug}.pdf`,
      bytes: await makePdf({ text }),
    });
    return doc;
  };
  const download = (url: string) => t.app.inject({ url });
  const gated = (token: string, doc: MadeDocument) => `/en/access/${token}/documents/${doc.slug}/download`;

  it('a level grant does not open a gated document that was never published', async () => {
    const published = await withPdf('request');
    await publish();
    const draft = await withPdf('request');
    const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' }, ndaExempt: true });
    expect((await download(gated(visitor.accessToken, published))).statusCode).toBe(200);
    expect((await download(gated(visitor.accessToken, draft))).statusCode).toBe(404);
    // A grant naming the draft document by id does not open it either.
    const byId = await makeVisitor(t.ctx, { grant: { documentIds: [draft.id] } });
    expect((await download(gated(byId.accessToken, draft))).statusCode).toBe(404);
    await publish();
    expect((await download(gated(visitor.accessToken, draft))).statusCode).toBe(200);
    expect((await download(gated(byId.accessToken, draft))).statusCode).toBe(200);
  });

  it('a document made public in the draft stays gated until it is published', async () => {
    const doc = await withPdf('request');
    await publish();
    await setLevel(doc, 'public');
    expect((await download(`/en/documents/${doc.slug}/download`)).statusCode).toBe(404);
    await publish();
    expect((await download(`/en/documents/${doc.slug}/download`)).statusCode).toBe(200);
  });

  it('the published level decides which grant and which NDA a download needs', async () => {
    const doc = await withPdf('nda');
    await publish();
    // Draft says "request": a request-level grant must still not open what the site shows under NDA.
    await setLevel(doc, 'request');
    const requestGrant = await makeVisitor(t.ctx, { grant: { level: 'request' }, ndaExempt: true });
    expect((await download(gated(requestGrant.accessToken, doc))).statusCode).toBe(404);
    // An nda grant without an NDA in place is refused while the publication says nda.
    const noNda = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
    expect((await download(gated(noNda.accessToken, doc))).statusCode).toBe(404);
    await publish();
    expect((await download(gated(requestGrant.accessToken, doc))).statusCode).toBe(200);
    expect((await download(gated(noNda.accessToken, doc))).statusCode).toBe(200);
  });

  it('a public document gated in the draft stays public until it is published', async () => {
    const doc = await withPdf('public');
    await publish();
    await setLevel(doc, 'nda');
    expect((await download(`/en/documents/${doc.slug}/download`)).statusCode).toBe(200);
    await publish();
    expect((await download(`/en/documents/${doc.slug}/download`)).statusCode).toBe(404);
  });

  it('serves the file version the publication pinned, not one uploaded since', async () => {
    const doc = await withPdf('public', 'published version');
    await publish();
    await uploadFile(t.app, admin.headers, doc.id, {
      name: `${doc.slug}.pdf`,
      bytes: await makePdf({ text: 'unreviewed version' }),
    });
    const before = await download(`/en/documents/${doc.slug}/download`);
    expect(before.statusCode).toBe(200);
    expect((await pdfPageTexts(before.rawPayload))[0]).toContain('published version');
    await publish();
    const after = await download(`/en/documents/${doc.slug}/download`);
    expect((await pdfPageTexts(after.rawPayload))[0]).toContain('unreviewed version');
  });

  it('takes access requests at the published level: a draft-gated public document is not requestable', async () => {
    const request = (doc: MadeDocument) =>
      postForm(t.app, `/en/documents/${doc.slug}/request`, {
        name: 'Ana Buyer',
        email: visitorEmail(),
        company: 'Globex',
        reason: 'Vendor review',
      });
    const publicDoc = await withPdf('public');
    const gatedDoc = await withPdf('request');
    await publish();
    await setLevel(publicDoc, 'request');
    await setLevel(gatedDoc, 'public');
    expect((await request(publicDoc)).statusCode).toBe(404);
    expect((await request(gatedDoc)).statusCode).toBe(200);
  });
});
