import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { uploadDocumentFile } from '../../src/trust/documents/documents.files.ts';
import { publishGatedDocument, requestAndConfirm, visitorEmail } from '../fixtures/access.ts';
import { makeUser } from '../fixtures/identity.ts';
import { makeDocument, PNG_BYTES } from '../fixtures/trust.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

/** Signs in through the admin app's own forms: password, then the TOTP code. */
async function signIn(page: Page, baseUrl: string, made: Awaited<ReturnType<typeof makeUser>>) {
  await page.goto(`${baseUrl}/app/login`);
  await page.getByLabel('Email').fill(made.user.email);
  await page.getByLabel('Password').fill(made.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(currentTotp(made.totpSecret as string));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('button', { name: /sign out/i }).waitFor();
}

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('trust center screens of the admin app in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets an owner rename the company, publish, and visitors see the new name on /en/', async () => {
    const owner = await makeUser(server.ctx, { role: 'owner' });
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(page, server.baseUrl, owner);
    // Recorded once signed in: the login page's session probe answers 401 by design.
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.getByRole('link', { name: 'Trust center', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Trust center' }).waitFor();
    await page.getByLabel('Company name').fill('Fjord Analytics');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Published \(version \d+\)/).waitFor();

    const visitor = await browser.newPage();
    const response = await visitor.goto(`${server.baseUrl}/en/`);
    expect(response?.status()).toBe(200);
    expect(await visitor.locator('header').textContent()).toContain('Fjord Analytics');
    expect(errors).toEqual([]);
  });

  it('opens every trust screen with its heading and no console errors', async () => {
    const owner = await makeUser(server.ctx, { role: 'owner' });
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(page, server.baseUrl, owner);
    // Recorded once signed in: the login page's session probe answers 401 by design.
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const screens = [
      ['Trust documents', 'Trust documents', 'No documents yet'],
      ['Trust access', 'Trust center access', 'No requests waiting'],
      ['Trust analytics', 'Trust center analytics', 'Over time'],
    ] as const;
    for (const [link, heading, text] of screens) {
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByText(text).first().waitFor();
    }
    expect(errors).toEqual([]);
  });

  it('adds a certification and a document with an uploaded file', async () => {
    const owner = await makeUser(server.ctx, { role: 'owner' });
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(page, server.baseUrl, owner);

    await page.getByRole('link', { name: 'Trust center', exact: true }).click();
    await page.getByRole('tab', { name: 'Certifications' }).click();
    await page.getByRole('button', { name: 'Add certification' }).first().click();
    const certDialog = page.getByRole('dialog');
    await certDialog.getByLabel('Name').fill('ISO 27001');
    await certDialog.getByLabel('Description (English)').fill('Certified since 2024.');
    await certDialog.getByRole('button', { name: 'Add certification' }).click();
    await page.getByRole('cell', { name: 'ISO 27001', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Trust documents' }).click();
    await page.getByRole('button', { name: 'Add document' }).click();
    const docDialog = page.getByRole('dialog');
    await docDialog.getByLabel('Address (slug)').fill('security-whitepaper');
    await docDialog.getByLabel('Title (English)').fill('Security whitepaper');
    await docDialog.getByRole('button', { name: 'Create document' }).click();
    const files = page.getByRole('dialog', { name: 'Files of Security whitepaper' });
    await files.getByText('No file uploaded').waitFor();
    await files.locator('input[type=file]').setInputFiles({
      name: 'whitepaper.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('How we keep your data safe.\n'),
    });
    await files.getByRole('button', { name: 'Upload version' }).click();
    await files.getByRole('link', { name: 'whitepaper.txt' }).waitFor();
    expect(await files.getByText('current').count()).toBe(1);
  });

  it('approves a confirmed access request, then revokes the grant', async () => {
    const document = await publishGatedDocument(server.ctx);
    const email = visitorEmail();
    await requestAndConfirm(server.app, server.ctx, { slug: document.slug, email });
    const owner = await makeUser(server.ctx, { role: 'owner' });
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(page, server.baseUrl, owner);

    await page.getByRole('link', { name: 'Trust access' }).click();
    await page.getByText(email).waitFor();
    await page.getByRole('button', { name: 'Approve the request of Zoë Łukasz' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Access expires after (days)').fill('7');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Access granted to Zoë Łukasz').waitFor();

    await page.getByRole('tab', { name: 'Grants' }).click();
    await page.getByText(email).waitFor();
    await page.getByRole('button', { name: 'Revoke the access of Zoë Łukasz' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Access of Zoë Łukasz revoked').waitFor();
  });

  it('warns in the documents screen, in the admin’s language, when a gated document is not a PDF', async () => {
    const document = await makeDocument(server.ctx, { accessLevel: 'nda', title: { en: 'Network diagram' } });
    await uploadDocumentFile(server.ctx, systemActor('test'), document.id, {
      fileName: 'diagram.png',
      declaredType: 'image/png',
      bytes: PNG_BYTES,
      locale: null,
    });
    const expected = {
      'en-US': 'Not watermarked: only PDF files are stamped',
      'es-ES': 'Sin marca de agua: solo los PDF se marcan',
      'fr-FR': 'Sans filigrane\u00a0: seuls les PDF sont marqués',
    };
    for (const [language, text] of Object.entries(expected)) {
      // The admin's own language, which the app switches to once they are signed in.
      const locale = language.slice(0, 2) as 'en' | 'es' | 'fr';
      const owner = await makeUser(server.ctx, { role: 'owner', locale });
      const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
      await page.goto(`${server.baseUrl}/app/login`);
      await page.getByLabel('Email').fill(owner.user.email);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // From here the app speaks the admin's language: the code field and its button by role.
      await page.locator('input[autocomplete="one-time-code"]').fill(currentTotp(owner.totpSecret as string));
      await page.locator('input[autocomplete="one-time-code"]').press('Enter');
      await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
      await page
        .getByRole('link', {
          name: { en: 'Trust documents', es: 'Documentos de confianza', fr: 'Documents de confiance' }[
            locale
          ],
        })
        .click();
      await page.getByTestId('document-warnings').waitFor();
      await page.getByText(text).first().waitFor();
      await page.close();
    }
  });
});
