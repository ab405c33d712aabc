import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginAs, uniqueIp } from '../fixtures/identity.ts';
import { sidewaysOverflow, signedInPage as signIn } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Locale = (typeof LOCALES)[number];

const TEXT = {
  pending: {
    en: 'Unpublished changes',
    es: 'Cambios sin publicar',
    fr: 'Modifications non publiées',
  },
  viewLive: { en: 'View live site', es: 'Ver el sitio público', fr: 'Voir le site public' },
  notFound: { en: 'Page not found', es: 'Página no encontrada', fr: 'Page introuvable' },
};

const signedInPage = (browser: Browser, server: Server, locale: Locale, width: number) =>
  signIn(browser, server, { role: 'owner', locale, width });

// Signing in many times may meet the sign-in rate limit, whose wait (up to a minute) the helper honours.
vi.setConfig({ testTimeout: 240_000 });

describe.skipIf(!hasChromium)('first-hour polish, as a person sees it in Chromium', () => {
  let browser: Browser;
  let server: Server;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    // Publish once, then change the draft: the trust center has unpublished changes.
    const admin = await loginAs(server.app, server.ctx, 'admin', { remoteAddress: uniqueIp() });
    const api = (method: 'POST' | 'PATCH', url: string, payload: object = {}) =>
      server.app.inject({ method, url: `/api/v1/trust${url}`, headers: admin.headers, payload });
    expect((await api('POST', '/publish')).statusCode).toBe(201);
    expect((await api('POST', '/faqs', { question: { en: 'Q?' }, answer: { en: 'A.' } })).statusCode).toBe(
      201,
    );
    // An NDA in English only: the admin is warned about Spanish and French.
    const nda = { locale: 'en', title: 'Mutual NDA', body: 'Keep it secret.' };
    expect((await api('POST', '/nda-templates', nda)).statusCode).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`shows the trust center's unpublished changes and a live-site link (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, locale, width);
        try {
          await page.goto(`${server.baseUrl}/app/trust/content`);
          const state = page.getByTestId('trust-publish-state');
          await expect.poll(() => state.textContent()).toContain(TEXT.pending[locale]);
          const live = page.getByRole('link', {
            name: new RegExp(TEXT.viewLive[locale].split(' ')[0] as string),
          });
          expect(await live.getAttribute('href')).toBe(`${server.baseUrl}/`);
          expect(await live.isVisible()).toBe(true);
          await page.screenshot({ path: new URL(`trust-content-${locale}-${width}.png`, SHOTS).pathname });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });

    it(`warns that the NDA lacks a version in some languages (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, locale, width);
        try {
          await page.goto(`${server.baseUrl}/app/trust/access`);
          await page
            .getByRole('tab', { name: /NDA|acuerdo|accord/i })
            .first()
            .click();
          const warning = page.getByTestId('nda-missing-languages');
          await warning.waitFor();
          const text = (await warning.textContent()) ?? '';
          const names = ['Español', 'Français'];
          for (const name of names) expect(text.toLowerCase()).toContain(name.toLowerCase());
          await page.screenshot({ path: new URL(`nda-missing-${locale}-${width}.png`, SHOTS).pathname });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });

    it(`frames the admin 404 in the app's navigation, and the icon loads (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, locale, width);
        try {
          const icons: number[] = [];
          page.on('response', (res) => {
            if (res.url().includes('favicon')) icons.push(res.status());
          });
          await page.goto(`${server.baseUrl}/app/no/such/page`);
          await page.getByRole('heading', { name: TEXT.notFound[locale] }).first().waitFor();
          // The shell is there: its header with the account menu, and the navigation (a burger on a phone).
          expect(await page.locator('header').count()).toBeGreaterThan(0);
          expect(await page.locator('main').count()).toBe(1);
          await page.screenshot({ path: new URL(`admin-404-${locale}-${width}.png`, SHOTS).pathname });
          const href = await page.locator('link[rel=icon]').getAttribute('href');
          const icon = await page.request.get(new URL(href as string, server.baseUrl).toString());
          expect(icon.status()).toBe(200);
          expect(icon.headers()['content-type']).toBe('image/svg+xml');
          for (const status of icons) expect(status).toBeLessThan(400);
        } finally {
          await page.close();
        }
      }
    });

    it(`keeps equal analytics series apart: widths, dashes, markers and a legend (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, locale, width);
        try {
          await page.goto(`${server.baseUrl}/app/trust/analytics`);
          await page.locator('svg[role=img] polyline').first().waitFor({ state: 'attached' });
          // No events: all five series (page views among them) are zero every day, the case where they used to
          // hide each other.
          const lines = await page
            .locator('svg[role=img] polyline')
            .evaluateAll((els) =>
              els.map((el) => `${el.getAttribute('stroke-width')}|${el.getAttribute('stroke-dasharray')}`),
            );
          expect(lines).toHaveLength(5);
          expect(new Set(lines).size).toBe(5);
          const markers = await page
            .locator('svg[role=img] [data-markers] > :first-child')
            .evaluateAll((els) => els.map((el) => el.tagName));
          expect(new Set(markers).size).toBeGreaterThanOrEqual(3);
          expect(await page.getByTestId('chart-legend').locator('svg').count()).toBe(5);
          await page.locator('svg[role=img]').scrollIntoViewIfNeeded();
          await page.screenshot({ path: new URL(`trust-analytics-${locale}-${width}.png`, SHOTS).pathname });
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });
  }

  it('shows a mail queued elsewhere in the open Outbox without a reload', async () => {
    const page = await signedInPage(browser, server, 'en', 1366);
    try {
      await page.goto(`${server.baseUrl}/app/outbox`);
      await page.getByRole('heading', { name: 'Outbox' }).first().waitFor();
      const owner = await loginAs(server.app, server.ctx, 'owner', { remoteAddress: uniqueIp() });
      const email = `late-invitee-${Date.now()}@example.test`;
      const invited = await server.app.inject({
        method: 'POST',
        url: '/api/v1/identity/invitations',
        remoteAddress: uniqueIp(),
        headers: owner.headers,
        payload: { email, role: 'auditor' },
      });
      expect(invited.statusCode).toBe(201);
      await page.getByText(email).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: new URL('outbox-refreshed-en-1366.png', SHOTS).pathname });
    } finally {
      await page.close();
    }
  });
});
