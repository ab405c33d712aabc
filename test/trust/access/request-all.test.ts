import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustAccessRequests, trustVisitors } from '../../../src/trust/tables.ts';
import {
  linkInMail,
  postForm,
  requestFields,
  TRUST_API,
  visit,
  visitorEmail,
} from '../../fixtures/access.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { makeDocument, makePdf, uploadFile } from '../../fixtures/trust.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

/** "Request all documents": one form, one request for the admin, one approval that grants every one. */
describe('requesting every restricted document at once', () => {
  let t: TestApp;
  let admin: SignedIn;
  const docs: { id: string; slug: string }[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  const withFile = async (accessLevel: 'public' | 'request' | 'nda', en: string) => {
    const doc = await makeDocument(t.ctx, { accessLevel, title: { en, fr: `${en} (fr)` } });
    await uploadFile(t.app, admin.headers, doc.id, { name: 'f.pdf', bytes: await makePdf() });
    return doc;
  };
  const publish = async () =>
    expect(
      (await t.app.inject({ method: 'POST', url: `${TRUST_API}/publish`, headers: admin.headers }))
        .statusCode,
    ).toBe(201);

  it('offers the action only with two or more restricted documents', async () => {
    docs.push(await withFile('request', 'DPA'));
    await withFile('public', 'Security overview');
    await publish();
    expect((await visit(t.app, '/en/')).body).not.toContain('/en/documents/all/request');
    docs.push(await withFile('nda', 'SOC 2'));
    await publish();
    const home = await visit(t.app, '/en/');
    expect(home.body).toContain('href="/en/documents/all/request"');
    expect(home.body).toContain('Request access to all documents');
    expect((await visit(t.app, '/fr/')).body).toMatch(
      /href="\/fr\/documents\/all\/request">Demander l.{1,6}accès à tous les documents</,
    );
  });

  it('shows one form naming every restricted document, none of the public ones', async () => {
    const form = await visit(t.app, '/fr/documents/all/request');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('tous les documents');
    expect(form.body).toContain('<li>DPA (fr)</li>');
    expect(form.body).toContain('<li>SOC 2 (fr)</li>');
    expect(form.body).not.toContain('Security overview');
    expect(form.body).toContain('accord de confidentialité'); // one of them is under NDA
    expect(form.body).toContain('action="/fr/documents/all/request"');
  });

  it('records one request for all of them, and one approval grants them all', async () => {
    const email = visitorEmail();
    const sent = await postForm(t.app, '/en/documents/all/request', requestFields(email));
    expect(sent.statusCode).toBe(200);
    expect((await visit(t.app, await linkInMail(t.ctx, email, '/access/confirm/'))).statusCode).toBe(200);

    const [visitor] = await t.ctx.database.db
      .select()
      .from(trustVisitors)
      .where(eq(trustVisitors.email, email));
    const requests = await t.ctx.database.db
      .select()
      .from(trustAccessRequests)
      .where(eq(trustAccessRequests.visitorId, visitor?.id as string));
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.status).toBe('pending');
    expect([...(request?.documentIds ?? [])].sort()).toEqual(docs.map((d) => d.id).sort());

    // The admin's list shows it as one request naming both documents.
    const list = await t.app.inject({
      method: 'GET',
      url: `${TRUST_API}/access-requests?status=pending`,
      headers: admin.headers,
    });
    const mine = list.json().items.filter((r: { id: string }) => r.id === request?.id);
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0])).toContain(docs[0]?.id);
    expect(JSON.stringify(mine[0])).toContain(docs[1]?.id);

    const approved = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/access-requests/${request?.id}/approve`,
      headers: admin.headers,
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    expect([...approved.json().grant.documentIds].sort()).toEqual(docs.map((d) => d.id).sort());
  });

  it('re-shows the form with the list on a mistake', async () => {
    const bad = await postForm(t.app, '/es/documents/all/request', {
      name: '',
      email: 'x',
      company: '',
      reason: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('<li>DPA</li>');
  });
});
