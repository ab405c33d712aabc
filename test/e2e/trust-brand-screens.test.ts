import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginAs, uniqueIp } from '../fixtures/identity.ts';
import { makeVisitor } from '../fixtures/trust.ts';
import { sidewaysOverflow, signedInPage } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
type Server = Awaited<ReturnType<typeof startTestServer>>;
type Locale = (typeof LOCALES)[number];
const adminText = (locale: Locale) =>
  JSON.parse(readFileSync(new URL(`../../web/src/locales/${locale}.json`, import.meta.url), 'utf8')).trust;

vi.setConfig({ testTimeout: 240_000 });

// Item 14 and 18 of issue 8 as a person sees them: brand colour, certificate links, translated locations,
// the visitor's NDA page in a language without its own NDA, and the admin screens that edit them.
describe.skipIf(!hasChromium)('trust center brand, certificates and locations in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let visitorToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    const admin = await loginAs(server.app, server.ctx, 'admin', { remoteAddress: uniqueIp() });
    const api = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
      const res = await server.app.inject({
        method,
        url: `/api/v1/trust${url}`,
        headers: admin.headers,
        payload,
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    await api('PATCH', '/profile', { brandColor: '#6b2fa3' });
    await api('POST', '/subprocessors', {
      name: 'Example Cloud',
      purpose: { en: 'Hosting', es: 'Alojamiento', fr: 'Hébergement' },
      location: { en: 'EU (Ireland)', es: 'UE (Irlanda)', fr: 'UE (Irlande)' },
    });
    await api('POST', '/nda-templates', { locale: 'en', title: 'Mutual NDA', body: 'Keep it secret.' });
    await api('POST', '/publish', {});
    visitorToken = (await makeVisitor(server.ctx, { locale: 'fr', grant: { level: 'nda' } })).accessToken;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`public home and subprocessors in the brand colour (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          await page.goto(`${server.baseUrl}/${locale}/`);
          const band = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).boxShadow);
          expect(band).toContain('rgb(107, 47, 163)');
          await page.screenshot({ path: new URL(`trust-brand-home-${locale}-${width}.png`, SHOTS).pathname });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
          await page.goto(`${server.baseUrl}/${locale}/subprocessors`);
          const location = { en: 'EU (Ireland)', es: 'UE (Irlanda)', fr: 'UE (Irlande)' }[locale];
          expect(await page.getByRole('cell', { name: location }).isVisible()).toBe(true);
          await page.screenshot({
            path: new URL(`trust-subprocessors-${locale}-${width}.png`, SHOTS).pathname,
          });
          await page.goto(`${server.baseUrl}/${locale}/access/${visitorToken}/nda`);
          const notice = page.locator('[data-nda-language]');
          expect(await notice.count()).toBe(locale === 'en' ? 0 : 1);
          await page.screenshot({
            path: new URL(`trust-nda-visitor-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });
        } finally {
          await page.close();
        }
      }
    });

    it(`admin profile with the brand colour and the subprocessor form per language (${locale})`, async () => {
      const text = adminText(locale);
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'owner', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/trust/content`);
          await page.getByLabel(text.profile.brandColor).waitFor();
          await page.screenshot({
            path: new URL(`trust-profile-brand-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
          await page.getByRole('tab', { name: text.content.tabs.subprocessors }).click();
          await page.getByText('Example Cloud').first().waitFor();
          await page.screenshot({
            path: new URL(`trust-subprocessor-list-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });
  }
});
