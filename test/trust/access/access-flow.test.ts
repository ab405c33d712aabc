import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustAccessRequests, trustVisitors } from '../../../src/trust/tables.ts';
import { linkInMail, postForm, TRUST_API, visit, visitorEmail } from '../../fixtures/access.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import { makeDocument, makePdf, pdfPageTexts, uploadFile } from '../../fixtures/trust.ts';
import { buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

/** The whole visitor journey through HTTP, as the "done" describes it, minus the browser. */
describe('requesting an NDA document, end to end over HTTP', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('goes request → confirm → approve → sign-in link → NDA → stamped download, and revocation closes it', async () => {
    // The company's side: an NDA text in Spanish and an NDA-level document with a PDF, published.
    const nda = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/nda-templates`,
      headers: admin.headers,
      payload: {
        locale: 'es',
        title: 'Acuerdo de confidencialidad',
        body: 'El destinatario guardará secreto.',
      },
    });
    expect(nda.statusCode).toBe(201);
    const doc = await makeDocument(t.ctx, { accessLevel: 'nda', title: { es: 'Informe SOC 2' } });
    await uploadFile(t.app, admin.headers, doc.id, {
      name: 'soc2.pdf',
      bytes: await makePdf({ pages: 2, text: 'SOC 2' }),
    });
    expect(
      (await t.app.inject({ method: 'POST', url: `${TRUST_API}/publish`, headers: admin.headers }))
        .statusCode,
    ).toBe(201);

    // 1. The visitor asks, in Spanish, and confirms their address.
    const email = visitorEmail();
    const asked = await postForm(t.app, `/es/documents/${doc.slug}/request`, {
      name: 'Zoë Łukasz 田中',
      email,
      company: 'Globex',
      reason: 'Evaluación de proveedor',
    });
    expect(asked.statusCode).toBe(200);
    const confirmed = await visit(t.app, await linkInMail(t.ctx, email, '/access/confirm/'));
    expect(confirmed.body).toContain('Gracias, hemos recibido su solicitud');

    // 2. An admin approves.
    const [visitor] = await t.ctx.database.db
      .select()
      .from(trustVisitors)
      .where(eq(trustVisitors.email, email));
    const [request] = await t.ctx.database.db
      .select()
      .from(trustAccessRequests)
      .where(eq(trustAccessRequests.visitorId, visitor?.id as string));
    const approved = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/access-requests/${request?.id}/approve`,
      headers: admin.headers,
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    const grantId = approved.json().grant.id as string;
    expect((await queuedMails(t.ctx, email)).at(-1)?.subject).toBe(
      'Ya puede acceder a los documentos de Attest',
    );

    // 3. The sign-in link leads to the personal page, where the NDA comes first.
    const login = await linkInMail(t.ctx, email, '/access/login/');
    const exchanged = await t.app.inject({ method: 'POST', url: login, remoteAddress: uniqueIp() });
    expect(exchanged.statusCode).toBe(303);
    const personal = exchanged.headers.location as string;
    const downloadUrl = `${personal}/documents/${doc.slug}/download`;
    expect((await visit(t.app, personal)).body).toContain(`${personal}/nda`);
    expect((await visit(t.app, downloadUrl)).statusCode).toBe(404);

    // 4. The NDA, accepted as shown.
    const ndaPage = await visit(t.app, `${personal}/nda`);
    expect(ndaPage.body).toContain('El destinatario guardará secreto.');
    const accepted = await postForm(t.app, `${personal}/nda`, {
      templateId: nda.json().id,
      sha256: nda.json().sha256,
      fullName: 'Zoë Łukasz 田中',
      agree: 'yes',
    });
    expect(accepted.statusCode).toBe(303);
    expect((await visit(t.app, personal)).body).toContain(downloadUrl);

    // 5. The download, stamped for the visitor on every page.
    const downloaded = await visit(t.app, downloadUrl);
    expect(downloaded.statusCode).toBe(200);
    expect(downloaded.headers['content-type']).toBe('application/pdf');
    const downloadId = downloaded.headers['x-download-id'] as string;
    const pages = await pdfPageTexts(downloaded.rawPayload);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(page).toContain(email);
      expect(page).toContain(downloadId);
    }

    // 6. Revoked: the very same links answer 404 at once.
    const revoked = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/grants/${grantId}/revoke`,
      headers: admin.headers,
    });
    expect(revoked.statusCode).toBe(200);
    expect((await visit(t.app, downloadUrl)).statusCode).toBe(404);
    expect((await visit(t.app, personal)).statusCode).toBe(404);
    expect((await visit(t.app, `${personal}/nda`)).statusCode).toBe(404);
  });
});
