import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/identity/totp.ts';
import { makeUser } from '../fixtures/identity.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

async function signIn(page: Page, baseUrl: string, made: Awaited<ReturnType<typeof makeUser>>) {
  await page.goto(`${baseUrl}/app/login`);
  await page.getByLabel('Email').fill(made.user.email);
  await page.getByLabel('Password').fill(made.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(currentTotp(made.totpSecret as string));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('button', { name: /sign out/i }).waitFor();
}

/** Issue 7 item 8 in the admin app: a factor change asks for the password and a current code. */
describe.skipIf(!hasChromium)(
  'account security asks for the password and a current code, in Chromium',
  () => {
    let browser: Browser;
    let server: Awaited<ReturnType<typeof startTestServer>>;
    beforeAll(async () => {
      server = await startTestServer();
      browser = await launchChromium();
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('regenerates recovery codes only with the password and a recovery code', async () => {
      const admin = await makeUser(server.ctx, { role: 'admin' });
      const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
      await signIn(page, server.baseUrl, admin);
      await page.goto(`${server.baseUrl}/app/account`);
      // The Passkeys section below has the same fields: work inside the Recovery codes one.
      const section = page.getByRole('region', { name: 'Recovery codes', exact: true });
      await section.getByRole('button', { name: 'Generate new recovery codes' }).click();
      await section.getByLabel('Your current password').fill(admin.password);
      await section.getByLabel('Current code').fill('aaaaa-bbbbb');
      await section.getByRole('button', { name: 'Generate codes' }).click();
      await section
        .getByRole('alert')
        .filter({ hasText: /second factor is wrong|second factor wrong/ })
        .waitFor();

      await section.getByLabel('Current code').fill(admin.recoveryCodes[0] as string);
      await section.getByRole('button', { name: 'Generate codes' }).click();
      const codes = await page.getByTestId('recovery-codes').textContent();
      expect(codes).toMatch(/[a-z2-9]{5}-[a-z2-9]{5}/);
    }, 120_000);
  },
);
