import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupLink } from '../../src/identity/index.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const OWNER = { email: 'owner@example.test', name: 'Olivia Owner', password: 'a long owner passphrase' };
const INVITEE = { email: 'eve@example.test', name: 'Eve Employee', password: 'a long employee passphrase' };

/** A TOTP code is single-use per 30 s step: wait for a fresh step before reusing the same secret. */
async function freshTotp(secret: string): Promise<string> {
  const msIntoStep = Date.now() % 30_000;
  await new Promise((resolve) => setTimeout(resolve, 30_000 - msIntoStep + 200));
  return currentTotp(secret);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: /sign out/i }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('admin app onboarding in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ SMTP_URL: smtp.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('goes from the setup link to an owner with TOTP, invites a user, and that user signs in', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    // 1. The one-time setup link creates the owner with password and TOTP.
    const link = await issueSetupLink(server.ctx);
    expect(link).toBeDefined();
    await page.goto(link as string);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Full name').fill(OWNER.name);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    // Setup asks the organization's facts: the public URL comes pre-filled with the server's.
    expect(await page.getByLabel('Public URL').inputValue()).toBe(server.baseUrl);
    await page.getByLabel('Organization name').fill('Acme');
    await page.getByLabel('Security contact e-mail').fill('security@acme.org');
    const secretField = page.getByTestId('totp-secret');
    if (!(await secretField.isVisible())) await page.getByRole('button', { name: /continue|next/i }).click();
    const secret = ((await secretField.textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('Authentication code').fill(currentTotp(secret));
    await page.getByRole('button', { name: 'Create owner account' }).click();
    const codes = await page.getByTestId('recovery-codes').textContent();
    expect(codes?.match(/[a-z0-9]{5}-[a-z0-9]{5}/g)).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();

    // 2. Signing out and back in asks for the TOTP code.
    await signOut(page);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(await freshTotp(secret));
    await page.getByRole('button', { name: 'Verify' }).click();

    // 3. The owner invites an employee; the invitation arrives by SMTP.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Email').fill(INVITEE.email);
    await page.getByLabel('Role').click();
    await page.getByRole('option', { name: 'Employee' }).click();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const mail = await smtp.waitFor((m) => m.to.includes(INVITEE.email));
    const inviteLink = mail.text.match(/https?:\/\/\S+\/app\/invite\?token=[\w-]+/)?.[0];
    expect(inviteLink).toBeDefined();

    // 4. The invitee accepts in another browser profile, signs out, and signs in again.
    const invitee = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await invitee.goto(inviteLink as string);
    await invitee.getByLabel('Full name').fill(INVITEE.name);
    await invitee.getByLabel('Password', { exact: true }).fill(INVITEE.password);
    await invitee.getByRole('button', { name: 'Accept invitation' }).click();
    await invitee.getByRole('button', { name: /sign out/i }).waitFor();
    await signOut(invitee);
    await invitee.getByLabel('Email').fill(INVITEE.email);
    await invitee.getByLabel('Password').fill(INVITEE.password);
    await invitee.getByRole('button', { name: 'Sign in' }).click();
    await invitee.getByRole('button', { name: /sign out/i }).waitFor();
    await expect(invitee.getByText(INVITEE.name).first().isVisible()).resolves.toBe(true);

    // The whole flow ran under the strict CSP without a blocked script or style.
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  }, 150_000);
});
