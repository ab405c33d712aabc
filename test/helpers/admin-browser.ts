import type { Browser, Page } from 'playwright-core';
import type { RoleName } from '../../src/core/http/actor.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { makeUser } from '../fixtures/identity.ts';
import type { startTestServer } from './server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/**
 * A fresh user of `role` signed in through the admin app's own forms (password, then the TOTP code when the
 * role has one), in `locale`, on a `width`-pixel screen: what the end-to-end screen tests start from.
 */
export async function signedInPage(
  browser: Browser,
  server: Server,
  options: { role: RoleName; locale: 'en' | 'es' | 'fr'; width: number },
): Promise<Page> {
  const made = await makeUser(server.ctx, { role: options.role, locale: options.locale });
  const page = await browser.newPage({
    viewport: { width: options.width, height: 900 },
    locale: options.locale,
  });
  await page.goto(`${server.baseUrl}/app/login`);
  await page.locator('input[type=email]').fill(made.user.email);
  await page.locator('input[type=password]').fill(made.password);
  // Sign-in is rate limited per address (20 a minute), and a file of screen tests signs in more often than
  // that from 127.0.0.1: on 429, wait as the server says and try again, as a person would.
  for (let attempt = 0; ; attempt += 1) {
    const answer = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/v1/identity/login') && response.request().method() === 'POST',
    );
    await page.locator('button[type=submit]').click();
    const response = await answer;
    if (response.status() !== 429 || attempt === 3) break;
    await page.waitForTimeout((Number(response.headers()['retry-after'] ?? 30) + 1) * 1000);
  }
  if (made.totpSecret) {
    await page.locator('input[autocomplete=one-time-code]').fill(currentTotp(made.totpSecret));
    await page.locator('button[type=submit]').click();
  }
  await page.locator('nav').first().waitFor();
  return page;
}

/** How far the page scrolls sideways: a layout that fits its screen answers 0. */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
