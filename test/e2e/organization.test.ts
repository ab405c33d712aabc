import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getOrganization } from '../../src/core/settings/index.ts';
import { issueSetupLink } from '../../src/identity/index.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { sidewaysOverflow, signedInPage as signIn } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Each labelled input sits below its label and spans the form's width (no inline layout). */
async function expectStackedField(page: Page, input: ReturnType<Page['locator']>) {
  const id = await input.getAttribute('id');
  const label = page.locator(`label[for="${id}"]`);
  const [labelBox, inputBox] = [await label.boundingBox(), await input.boundingBox()];
  expect(labelBox && inputBox).toBeTruthy();
  if (!labelBox || !inputBox) return;
  expect(inputBox.y).toBeGreaterThanOrEqual(labelBox.y + labelBox.height - 1);
  expect(inputBox.width).toBeGreaterThan(200);
}

const signedInAdmin = (browser: Browser, server: Server, locale: (typeof LOCALES)[number], width: number) =>
  signIn(browser, server, { role: 'admin', locale, width });

// Signing in many times may meet the sign-in rate limit, whose wait (up to a minute) the helper honours.
vi.setConfig({ testTimeout: 240_000 });

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)("the organization's facts in setup and settings, in Chromium", () => {
  let browser: Browser;
  let server: Server;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('setup asks the name, public URL and security contact; nothing of the program is public after it', async () => {
    const link = (await issueSetupLink(server.ctx)) as string;
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, locale });
        await page.goto(link);
        const url = page.locator('input[type=url]');
        await url.waitFor();
        // The public URL is pre-filled with the server's; the owner confirms or corrects it.
        expect(await url.inputValue()).toBe(server.baseUrl);
        await expectStackedField(page, url);
        await expectStackedField(page, page.locator('input[autocomplete=organization]'));
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.screenshot({
          path: new URL(`setup-${locale}-${width}.png`, SHOTS).pathname,
          fullPage: true,
        });
        await page.close();
      }
    }

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    await page.goto(link);
    await page.getByLabel('Email').fill('olivia@acme.org');
    await page.getByLabel('Full name').fill('Olivia Owner');
    await page.getByLabel('Password', { exact: true }).fill('a long owner passphrase');
    await page.getByLabel('Organization name').fill('Acme');
    // The contact is suggested from the owner's domain until the owner types one.
    expect(await page.getByLabel('Security contact e-mail').inputValue()).toBe('security@acme.org');
    await page.getByLabel('Security contact e-mail').fill('psirt@acme.org');
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Authentication code').fill(currentTotp(secret));
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByTestId('recovery-codes').waitFor();

    const organization = await getOrganization(server.ctx, server.ctx.database.db);
    expect(organization).toMatchObject({
      name: 'Acme',
      securityContact: 'psirt@acme.org',
      publicUrl: server.baseUrl,
    });
    // Said, but not published: security.txt and the policy stay 404 until someone publishes.
    expect((await fetch(`${server.baseUrl}/.well-known/security.txt`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/en/security/policy`)).status).toBe(404);
    await page.close();
  }, 180_000);

  it('the settings screen edits the same facts, in en, es and fr, at desktop and phone width', async () => {
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        const page = await signedInAdmin(browser, server, locale, width);
        await page.goto(`${server.baseUrl}/app/settings`);
        const contact = page.locator('input[type=email]').first();
        await contact.waitFor();
        expect(await contact.inputValue()).toBe('psirt@acme.org');
        await expectStackedField(page, contact);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.screenshot({
          path: new URL(`settings-${locale}-${width}.png`, SHOTS).pathname,
          fullPage: true,
        });
        await page.close();
      }
    }
  }, 240_000);

  it('the program page says nothing is published yet, instead of "public version 0"', async () => {
    const none = {
      en: 'Not published yet',
      es: 'Todavía no se ha publicado',
      fr: 'Pas encore publié',
    };
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        const page = await signedInAdmin(browser, server, locale, width);
        await page.goto(`${server.baseUrl}/app/disclosure/program`);
        await page.getByText(none[locale]).first().waitFor();
        expect(await page.getByText(/: 0$/).count()).toBe(0);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.screenshot({
          path: new URL(`program-unpublished-${locale}-${width}.png`, SHOTS).pathname,
        });
        await page.close();
      }
    }
  }, 240_000);
});
