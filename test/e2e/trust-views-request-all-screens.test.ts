import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginAs, uniqueIp } from '../fixtures/identity.ts';
import { makeDocument, makePdf, uploadFile } from '../fixtures/trust.ts';
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
const siteText = (locale: Locale) =>
  JSON.parse(readFileSync(new URL(`../../src/trust/locales/${locale}/trust.json`, import.meta.url), 'utf8'));

vi.setConfig({ testTimeout: 240_000 });

// Issue 8 item 18: "request all documents" on the public documents section, and page views in analytics.
describe.skipIf(!hasChromium)('request all documents and page views in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let publicSlug = '';

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    const admin = await loginAs(server.app, server.ctx, 'admin', { remoteAddress: uniqueIp() });
    for (const [accessLevel, title] of [
      [
        'request',
        { en: 'Data processing agreement', es: 'Acuerdo de tratamiento', fr: 'Accord de traitement' },
      ],
      ['nda', { en: 'SOC 2 Type II report', es: 'Informe SOC 2 Tipo II', fr: 'Rapport SOC 2 Type II' }],
      ['public', { en: 'Security overview', es: 'Resumen de seguridad', fr: 'Aperçu sécurité' }],
    ] as const) {
      const doc = await makeDocument(server.ctx, { accessLevel, title });
      await uploadFile(server.app, admin.headers, doc.id, { name: 'f.pdf', bytes: await makePdf() });
      if (accessLevel === 'public') publicSlug = doc.slug;
    }
    const published = await server.app.inject({
      method: 'POST',
      url: '/api/v1/trust/publish',
      headers: admin.headers,
    });
    expect(published.statusCode).toBe(201);
    // Views of a document page, so the by-document table shows page views beside the document's events.
    for (let i = 0; i < 3; i++) {
      const res = await server.app.inject({ url: `/en/documents/${publicSlug}`, remoteAddress: uniqueIp() });
      expect(res.statusCode).toBe(200);
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`public documents → one form for all restricted documents (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          await page.goto(`${server.baseUrl}/${locale}/`);
          const action = page.getByRole('link', { name: siteText(locale).home.requestAll });
          await action.scrollIntoViewIfNeeded();
          await page.screenshot({
            path: new URL(`trust-request-all-home-${locale}-${width}.png`, SHOTS).pathname,
          });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
          await action.click();
          await page.waitForURL(`**/${locale}/documents/all/request`);
          expect(await page.locator('.request-documents li').count()).toBe(2);
          await page.screenshot({
            path: new URL(`trust-request-all-form-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });

    it(`admin analytics shows page views beside document events (${locale})`, async () => {
      const text = adminText(locale);
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'admin', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/trust/analytics`);
          await page.getByRole('heading', { name: text.analytics.byPage }).waitFor();
          await page.getByRole('cell', { name: '/', exact: true }).first().waitFor();
          expect(
            await page.getByRole('columnheader', { name: text.analytics.pageViews }).count(),
          ).toBeGreaterThan(0);
          await page.screenshot({
            path: new URL(`trust-analytics-views-${locale}-${width}.png`, SHOTS).pathname,
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
