import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trustAccessRequests, trustDocuments, trustVisitors } from '../../src/trust/tables.ts';
import { forceState, makeReport } from '../disclosure/triage/triage-helpers.ts';
import { signedInPage as signIn } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
const DAY_MS = 86_400_000;

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Box = { name: string; left: number; top: number; right: number; bottom: number };

const GROUPS = {
  en: ['Trust center', 'Disclosure', 'Administration'],
  es: ['Centro de confianza', 'Divulgación', 'Administración'],
  fr: ['Centre de confiance', 'Divulgation', 'Administration'],
} as const;
const CHECKLIST = { en: 'Get started', es: 'Primeros pasos', fr: 'Premiers pas' } as const;

/** The boxes of everything matching `selector`, as the browser laid them out. */
function boxes(page: Page, selector: string): Promise<Box[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const rect = element.getBoundingClientRect();
      return {
        name: `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 40)}"`,
        left: rect.left,
        top: rect.top,
        right: rect.right,
        bottom: rect.bottom,
      };
    }),
  );
}

/** Pairs of boxes that cover each other (a pixel of tolerance for sub-pixel borders). */
function overlaps(list: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i] as Box;
      const b = list[j] as Box;
      const apart =
        a.right <= b.left + 1 || b.right <= a.left + 1 || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
      if (!apart) found.push(`${a.name} × ${b.name}`);
    }
  return found;
}

/** Boxes wider than the screen, or reaching past its edges. */
function outside(list: Box[], width: number): string[] {
  return list
    .filter((box) => box.left < -1 || box.right > width + 1)
    .map((box) => `${box.name} [${box.left}, ${box.right}]`);
}

const signedInPage = signIn;

// Signing in many times may meet the sign-in rate limit, whose wait (up to a minute) the helper honours.
vi.setConfig({ testTimeout: 240_000 });

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('the admin home as a person sees it, in Chromium', () => {
  let browser: Browser;
  let server: Server;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    const now = Date.now();
    // Work waiting: one report late, two awaiting a first response, two access requests, two documents expiring.
    const late = await makeReport(server.ctx, { title: 'Late report' });
    await forceState(server.ctx, late, { responseDueAt: new Date(now - DAY_MS) });
    await makeReport(server.ctx, { title: 'Fresh report' });
    await makeReport(server.ctx, { title: 'Another fresh report' });
    const db = server.ctx.database.db;
    const [visitor] = await db
      .insert(trustVisitors)
      .values({ email: 'buyer@customer.test', name: 'Buyer', company: 'Customer' })
      .returning();
    await db.insert(trustAccessRequests).values([
      { visitorId: visitor?.id as string, reason: 'vendor review', status: 'pending' },
      { visitorId: visitor?.id as string, reason: 'renewal', status: 'pending' },
    ]);
    const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
    await db.insert(trustDocuments).values([
      { slug: 'soc2', title: { en: 'SOC 2' }, accessLevel: 'nda', validUntil: day(12) },
      { slug: 'pentest', title: { en: 'Pentest' }, accessLevel: 'request', validUntil: day(-2) },
    ]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`shows an owner the checklist and the counts, laid out without overlap (${locale}, 1366 and 390 px)`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'owner', locale, width });
        try {
          const checklist = page.locator('[data-testid=onboarding]');
          const attention = page.locator('[data-testid=attention]');
          await checklist.waitFor();
          await attention.waitFor();
          await page.screenshot({
            path: new URL(`home-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });

          await expect(checklist.getByRole('heading', { name: CHECKLIST[locale] }).isVisible()).resolves.toBe(
            true,
          );
          // Seven steps; the open ones link to the screen that does them.
          expect(await checklist.locator('li').count()).toBe(7);
          expect(await checklist.locator('li a[href="/app/settings"]').count()).toBeGreaterThan(0);
          // Four counts, each a link, with the seeded numbers.
          const tiles = attention.locator('a.attention-tile');
          expect(await tiles.count()).toBe(4);
          const counts = await tiles.evaluateAll((links) =>
            links.map((link) => [link.getAttribute('href'), link.querySelector('p')?.textContent]),
          );
          expect(counts).toEqual([
            ['/app/disclosure/reports?overdue=true', '1'],
            ['/app/disclosure/reports', '2'],
            ['/app/trust/access', '2'],
            ['/app/trust/documents', '2'],
          ]);

          // Layout: nothing wider than the screen, no box over another, no text spilling out of its tile.
          const cards = await boxes(page, 'main section');
          const tileBoxes = await boxes(page, '[data-testid=attention] a.attention-tile');
          const steps = await boxes(page, '[data-testid=onboarding] li');
          expect(outside([...cards, ...tileBoxes, ...steps], width)).toEqual([]);
          expect(overlaps(cards)).toEqual([]);
          expect(overlaps(tileBoxes)).toEqual([]);
          expect(overlaps(steps)).toEqual([]);
          const spilling = await page
            .locator('[data-testid=attention] a.attention-tile, [data-testid=onboarding] li')
            .evaluateAll((elements) =>
              elements
                .filter((element) => element.scrollWidth > element.clientWidth + 1)
                .map((e) => e.textContent),
            );
          expect(spilling).toEqual([]);
          expect(
            await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            ),
          ).toBeLessThanOrEqual(0);

          // Navigation grouped by area, with the reports' badge counting 3 (1 late + 2 due).
          if (width === 390) {
            await page.getByRole('button', { name: /navigation|navegación/i }).click();
            // The drawer slides in: measure it once it has arrived.
            await page.waitForFunction(
              () => (document.querySelector('#main-navigation')?.getBoundingClientRect().left ?? -1) >= 0,
            );
          }
          const nav = page.locator('#main-navigation');
          await nav.locator('[id^=nav-group-]').first().waitFor();
          const headers = await nav.locator('[role=group] > [id^=nav-group-]').allInnerTexts();
          expect(headers.map((text) => text.toLowerCase())).toEqual(
            GROUPS[locale].map((g) => g.toLowerCase()),
          );
          const reports = nav.locator('a[href="/app/disclosure/reports"]');
          await expect(reports.locator('.mantine-Badge-root [aria-hidden=true]').textContent()).resolves.toBe(
            '3',
          );
          const navBoxes = await boxes(page, '#main-navigation a, #main-navigation [id^=nav-group-]');
          expect(outside(navBoxes, width)).toEqual([]);
          expect(overlaps(navBoxes)).toEqual([]);
          if (width === 390)
            await page.screenshot({ path: new URL(`home-nav-${locale}-${width}.png`, SHOTS).pathname });
        } finally {
          await page.close();
        }
      }
    });
  }

  it('reaches the grouped navigation by keyboard and follows a count to its work', async () => {
    const page = await signedInPage(browser, server, { role: 'owner', locale: 'en', width: 1366 });
    try {
      await page.locator('[data-testid=attention]').waitFor();
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(
          () => document.activeElement?.getAttribute('href') === '/app/disclosure/reports',
        );
      }
      expect(reached).toBe(true);
      // The badge is read out, not just a number.
      await page
        .locator('#main-navigation a[href="/app/disclosure/reports"]')
        .getByText('3 need attention')
        .waitFor({ state: 'attached' });
      await page.locator('[data-testid=attention] a[href="/app/disclosure/reports?overdue=true"]').click();
      await page.waitForURL(/\/app\/disclosure\/reports\?overdue=true$/);
      await page.getByText('Late report').waitFor();
    } finally {
      await page.close();
    }
  });

  for (const locale of LOCALES) {
    it(`filters the audit log by an action chosen from a list (${locale}, 1366 and 390 px)`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'owner', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/audit`);
          const search = page.locator('search');
          const action = search.locator('input').first();
          await action.click();
          // A list of the log's actions, grouped by area, not a free-text box.
          const option = page.getByRole('option', { name: 'identity.login.succeeded', exact: true });
          await option.waitFor();
          expect(await page.getByRole('option').count()).toBeGreaterThan(3);
          await page.screenshot({ path: new URL(`audit-actions-${locale}-${width}.png`, SHOTS).pathname });
          await option.click();
          await search.locator('button[type=submit]').click();
          await expect
            .poll(async () => [...new Set(await page.locator('main tbody code').allTextContents())])
            .toEqual(['identity.login.succeeded']);
          // The export carries the filter on screen and downloads CSV with the session.
          const exportLink = page.locator('main a[href*="/api/v1/audit/events.csv"]');
          const href = (await exportLink.getAttribute('href')) as string;
          expect(href).toContain('action=identity.login.succeeded');
          const csv = await page.request.get(`${server.baseUrl}${href}`);
          expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
          expect((await csv.text()).split('\r\n')[1]).toContain('identity.login.succeeded');
          const box = await action.boundingBox();
          expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
          expect(
            await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            ),
          ).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      }
    });
  }

  for (const locale of LOCALES) {
    it(`exports the inbox as filtered on screen (${locale}, 1366 and 390 px)`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'owner', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/disclosure/reports?overdue=true`);
          await page.getByText('Late report').waitFor();
          const exportLink = page.locator('main a[href*="/reports.csv"]');
          const href = (await exportLink.getAttribute('href')) as string;
          expect(href).toContain('overdue=true');
          const csv = await page.request.get(`${server.baseUrl}${href}`);
          expect(csv.status()).toBe(200);
          const lines = (await csv.text()).trimEnd().split('\r\n');
          expect(lines).toHaveLength(2); // the header and the one late report
          expect(lines.join('\n')).not.toContain('Late report');
          const box = await exportLink.boundingBox();
          expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
          expect(
            await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            ),
          ).toBeLessThanOrEqual(0);
          await page.screenshot({ path: new URL(`inbox-export-${locale}-${width}.png`, SHOTS).pathname });
        } finally {
          await page.close();
        }
      }
    });
  }

  it('shows an employee no checklist and no counts of areas they cannot open', async () => {
    const page = await signedInPage(browser, server, { role: 'employee', locale: 'en', width: 390 });
    try {
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      expect(await page.locator('[data-testid=onboarding], [data-testid=attention]').count()).toBe(0);
      await page.screenshot({ path: new URL('home-employee-en-390.png', SHOTS).pathname, fullPage: true });
    } finally {
      await page.close();
    }
  });
});
