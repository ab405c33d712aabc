import { readFile } from 'node:fs/promises';
import { and, desc, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustEvents, trustVisitors } from '../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../fixtures/identity.ts';
import { makeDocument, makePdf, pdfPageTexts, TRUST_API, uploadFile } from '../fixtures/trust.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const VISITOR = { name: 'Zoë Łukasz 田中', email: 'zoe@globex.example.test', company: 'Globex' };

/** The first link in a captured mail whose path contains `part`. */
function linkIn(text: string, part: string): string {
  const link = new RegExp(`https?://\\S+${part}[A-Za-z0-9_-]+`).exec(text)?.[0];
  if (!link) throw new Error(`no ${part} link in: ${text.slice(0, 300)}`);
  return link;
}

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('a visitor gets an NDA document in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let admin: SignedIn;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ SMTP_URL: smtp.url });
    browser = await launchChromium();
    admin = await loginAs(server.app, server.ctx, 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({ method, url: `${TRUST_API}${url}`, headers: admin.headers, payload });

  it('requests on /es/, confirms by e-mail, is approved, accepts the NDA, downloads a stamped PDF; revocation closes the link', async () => {
    // The company publishes an NDA-level document and a Spanish NDA.
    expect(
      (
        await api('POST', '/nda-templates', {
          locale: 'es',
          title: 'Acuerdo de confidencialidad',
          body: 'El destinatario guardará secreto.',
        })
      ).statusCode,
    ).toBe(201);
    const doc = await makeDocument(server.ctx, {
      accessLevel: 'nda',
      title: { es: 'Informe SOC 2 Tipo II' },
    });
    await uploadFile(server.app, admin.headers, doc.id, {
      name: 'soc2.pdf',
      bytes: await makePdf({ pages: 3, text: 'SOC 2' }),
    });
    expect((await api('POST', '/publish')).statusCode).toBe(201);

    const context = await browser.newContext({ locale: 'es-ES', acceptDownloads: true });
    const page = await context.newPage();

    // 1. The request form on the document's page, in Spanish.
    await page.goto(`${server.baseUrl}/es/documents/${doc.slug}`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    const form = page.locator(`form[action="/es/documents/${doc.slug}/request"]`);
    await form.locator('[name="name"]').fill(VISITOR.name);
    await form.locator('[name="email"]').fill(VISITOR.email);
    await form.locator('[name="company"]').fill(VISITOR.company);
    await form.locator('[name="reason"]').fill('Evaluación de proveedor');
    await form.locator('button[type="submit"]').click();
    await page.getByRole('heading', { name: 'Revise su correo' }).waitFor();

    // 2. The confirmation e-mail arrives by SMTP, in Spanish; its link confirms the address.
    const confirmMail = await smtp.waitFor(
      (mail) => mail.to.includes(VISITOR.email) && mail.subject.startsWith('Confirme'),
    );
    await page.goto(linkIn(confirmMail.text, '/es/access/confirm/'));
    await page.getByRole('heading', { name: 'Gracias, hemos recibido su solicitud' }).waitFor();

    // 3. An admin approves through the API.
    const listed = await api(
      'GET',
      `/access-requests?status=pending&search=${encodeURIComponent(VISITOR.email)}`,
    );
    const requestId = listed.json().items[0].id as string;
    const approved = await api('POST', `/access-requests/${requestId}/approve`, {});
    expect(approved.statusCode).toBe(200);
    const grantId = approved.json().grant.id as string;

    // 4. The sign-in link, then the NDA click-through.
    const approvedMail = await smtp.waitFor(
      (mail) => mail.to.includes(VISITOR.email) && mail.text.includes('/access/login/'),
    );
    await page.goto(linkIn(approvedMail.text, '/es/access/login/'));
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByRole('heading', { name: 'Sus documentos' }).waitFor();
    const personalUrl = page.url();
    await page.getByRole('link', { name: 'Leer y aceptar el acuerdo' }).first().click();
    await page.getByText('El destinatario guardará secreto.').waitFor();
    await page.getByLabel('Su nombre completo').fill(VISITOR.name);
    await page.getByLabel('He leído este acuerdo y lo acepto en nombre de mi empresa.').check();
    await page.getByRole('button', { name: 'Aceptar y firmar' }).click();
    await page.getByRole('heading', { name: 'Sus documentos' }).waitFor();
    const ndaCopy = await smtp.waitFor(
      (mail) => mail.to.includes(VISITOR.email) && mail.subject.includes('firmado'),
    );
    expect(ndaCopy.raw).toContain('application/pdf');

    // 5. The download: the visitor's e-mail and this download's id on every page.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Descargar/ }).click(),
    ]);
    const bytes = await readFile((await download.path()) as string);
    const [visitor] = await server.ctx.database.db
      .select()
      .from(trustVisitors)
      .where(eq(trustVisitors.email, VISITOR.email));
    const [event] = await server.ctx.database.db
      .select()
      .from(trustEvents)
      .where(and(eq(trustEvents.visitorId, visitor?.id as string), eq(trustEvents.type, 'downloaded')))
      .orderBy(desc(trustEvents.occurredAt));
    const pages = await pdfPageTexts(bytes);
    expect(pages).toHaveLength(3);
    for (const text of pages) {
      expect(text).toContain(VISITOR.email);
      expect(text).toContain(event?.downloadId as string);
    }
    const downloadUrl = download.url();
    expect(downloadUrl).toBe(`${personalUrl}/documents/${doc.slug}/download`);

    // 6. After revocation the same links answer 404.
    expect((await api('POST', `/grants/${grantId}/revoke`)).statusCode).toBe(200);
    const closed = await page.goto(downloadUrl);
    expect(closed?.status()).toBe(404);
    expect((await page.goto(personalUrl))?.status()).toBe(404);
    await context.close();
  });
});
