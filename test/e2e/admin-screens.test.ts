import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { disclosureReports } from '../../src/disclosure/tables.ts';
import { forceState, makeReport } from '../disclosure/triage/triage-helpers.ts';
import { sidewaysOverflow, signedInPage as signIn } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type Server = Awaited<ReturnType<typeof startTestServer>>;

const signedInPage = signIn;

// Signing in many times may meet the sign-in rate limit, whose wait (up to a minute) the helper honours.
vi.setConfig({ testTimeout: 240_000 });

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('admin screens as a person sees them, in Chromium', () => {
  let browser: Browser;
  let server: Server;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    // A fast team: first responses within minutes, triage within the hour, some fixes over weeks.
    for (let i = 0; i < 6; i++) {
      const report = await makeReport(server.ctx, {
        title: `Metrics report ${i}`,
        receivedAt: new Date(Date.now() - (i * 20 + 2) * DAY_MS),
      });
      await forceState(server.ctx, report, {
        status: i % 2 === 0 ? 'resolved' : 'triaged',
        firstResponseAt: new Date(report.receivedAt.getTime() + (4 + i) * 60_000),
        triagedAt: new Date(report.receivedAt.getTime() + 0.5 * HOUR_MS),
        resolvedAt: i % 2 === 0 ? new Date(report.receivedAt.getTime() + (10 + i) * DAY_MS) : null,
      });
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`shows disclosure metrics with real months, minutes and visible bars (${locale}, desktop and phone)`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'security', locale, width });
        try {
          // The old second address of the page sends people to the one address.
          await page.goto(`${server.baseUrl}/app/disclosure/reports/metrics`);
          await page.waitForURL(/\/app\/disclosure\/metrics$/);
          await page.locator('svg[role=img] rect').first().waitFor();
          await page.screenshot({
            path: new URL(`metrics-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });
          // The range pickers read as words, never as "---------- ----".
          const shown = await page
            .locator('[role=search] select')
            .evaluateAll((selects) =>
              selects.map((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''),
            );
          expect(shown).toHaveLength(2);
          for (const text of shown) expect(text).toMatch(/\p{L}{3}/u);
          // Four-to-nine-minute first responses read as minutes, not "0 h".
          await expect.poll(() => page.getByText(/^\d+ min$/).count()).toBeGreaterThan(0);
          const bars = await page
            .locator('svg[role=img] rect')
            .evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().height));
          expect(bars.length).toBeGreaterThan(0);
          for (const height of bars) expect(height).toBeGreaterThan(1);
          // One page, one address: the inbox's tab and the sidebar both lead to /disclosure/metrics.
          const hrefs = await page
            .locator('a[aria-current=page]')
            .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
          expect(hrefs.length).toBeGreaterThan(0);
          for (const href of hrefs) expect(href).toBe('/app/disclosure/metrics');
          expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });
  }

  it('tells a team whose reports are all closed that nothing waits, and offers the closed ones', async () => {
    // After the metrics tests: every report closed, as after a good week.
    await server.ctx.database.db.update(disclosureReports).set({ status: 'spam', closedAt: new Date() });
    for (const locale of LOCALES) {
      const page = await signedInPage(browser, server, { role: 'security', locale, width: 1366 });
      try {
        await page.goto(`${server.baseUrl}/app/disclosure/reports`);
        const showClosed = page.getByRole('button', {
          name: {
            en: 'Show closed reports',
            es: 'Ver los informes cerrados',
            fr: 'Afficher les rapports clos',
          }[locale],
        });
        await showClosed.waitFor();
        // Never the advice to publish a program that is published.
        expect(
          await page
            .locator('main')
            .getByRole('link', { name: /program|programa|programme/i })
            .count(),
        ).toBe(0);
        await page.screenshot({ path: new URL(`inbox-all-closed-${locale}-1366.png`, SHOTS).pathname });
        await showClosed.click();
        await page.waitForURL(/state=closed/);
        await page.getByText('Metrics report 0').waitFor();
      } finally {
        await page.close();
      }
    }
  });
});
