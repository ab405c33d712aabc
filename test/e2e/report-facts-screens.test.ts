import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { createReport } from '../../src/disclosure/reports/reports.service.ts';
import { sidewaysOverflow, signedInPage } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
const CATEGORY = { en: 'SQL injection', es: 'Inyección SQL', fr: 'Injection SQL' };
const BEFORE_POLICY = { en: 'before the policy', es: 'antes de la política', fr: 'avant la politique' };

vi.setConfig({ testTimeout: 240_000 });

// A report mailed in before the first publish, with a category: the inbox and the report view show the
// category's name (not its key), the report's language and the "before the policy" mark.
describe.skipIf(!hasChromium)('report facts, as a person sees them', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let reportId = '';

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    const created = await server.ctx.database.db.transaction((tx) =>
      createReport(
        server.ctx,
        tx,
        systemActor('mail-intake'),
        {
          locale: 'fr',
          asset: null,
          category: 'sql-injection',
          content: {
            title: 'Injection SQL dans la recherche',
            description: 'Le paramètre q.',
            steps: '',
            impact: '',
          },
          reporter: { email: 'early@researcher.test' },
        },
        { channel: 'email', senderVerified: true },
      ),
    );
    reportId = created.report.id;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`names the category and marks the early report (${locale})`, async () => {
      for (const width of WIDTHS) {
        const page = await signedInPage(browser, server, { role: 'security', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/disclosure/reports`);
          await page.getByText(BEFORE_POLICY[locale]).first().waitFor();
          expect(await sidewaysOverflow(page)).toBe(0);
          await page.screenshot({
            path: new URL(`inbox-${locale}-${width}.png`, SHOTS).pathname,
            fullPage: true,
          });
          await page.goto(`${server.baseUrl}/app/disclosure/reports/${reportId}`);
          const facts = page.getByRole('group').filter({ hasText: CATEGORY[locale] });
          await facts.first().waitFor();
          const text = (await facts.first().textContent()) ?? '';
          expect(text).not.toContain('sql-injection');
          expect(text).toContain(BEFORE_POLICY[locale]);
          expect(await sidewaysOverflow(page)).toBe(0);
          await page.screenshot({ path: new URL(`report-facts-${locale}-${width}.png`, SHOTS).pathname });
        } finally {
          await page.close();
        }
      }
    });
  }
});
