import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findReportById } from '../../src/disclosure/reports/reports.store.ts';
import { makeReport } from '../disclosure/triage/triage-helpers.ts';
import { publishGatedDocument, requestAndConfirm, visitorEmail } from '../fixtures/access.ts';
import { sidewaysOverflow, signedInPage } from '../helpers/admin-browser.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
const SELECT = { en: 'Select', es: 'Seleccionar', fr: 'Sélectionner' };
const SELECT_PAGE = {
  en: 'Select all on this page',
  es: 'Seleccionar todo en esta página',
  fr: 'Tout sélectionner sur cette page',
};
const NEW_STATUS = { en: 'New status', es: 'Nuevo estado', fr: 'Nouveau statut' };
const MOVE = { en: 'Change status', es: 'Cambiar el estado', fr: 'Changer le statut' };
const DENY = { en: 'Deny', es: 'Rechazar', fr: 'Refuser' };
const DONE = { en: '2 updated', es: '2 actualizados', fr: '2 mis à jour' };

vi.setConfig({ testTimeout: 240_000 });

// A triager ticks two reports in the inbox, keyboard first, and closes both as informative at once;
// an admin denies a page of access requests.
describe.skipIf(!hasChromium)('bulk actions on the inbox and access requests', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of LOCALES) {
    it(`selects two reports and closes them (${locale})`, async () => {
      for (const width of WIDTHS) {
        const a = await makeReport(server.ctx, { title: `Open redirect ${locale} ${width}` });
        const b = await makeReport(server.ctx, { title: `Clickjacking ${locale} ${width}` });
        const page = await signedInPage(browser, server, { role: 'security', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/disclosure/reports`);
          await page.getByRole('checkbox', { name: SELECT_PAGE[locale] }).waitFor();
          expect(await page.getByTestId('bulk-bar').count()).toBe(0);
          // Keyboard: focus the first row's box and tick it with the space bar.
          await page.getByRole('checkbox', { name: `${SELECT[locale]} #${a.number}` }).focus();
          await page.keyboard.press('Space');
          await page.getByRole('checkbox', { name: `${SELECT[locale]} #${b.number}` }).check();
          const bar = page.getByTestId('bulk-bar');
          await bar.getByLabel(NEW_STATUS[locale]).selectOption('informative');
          expect(await sidewaysOverflow(page)).toBe(0);
          await page.screenshot({ path: new URL(`bulk-inbox-${locale}-${width}.png`, SHOTS).pathname });
          await bar.getByRole('button', { name: MOVE[locale] }).click();
          await page.getByText(DONE[locale]).waitFor();
          await page.screenshot({ path: new URL(`bulk-inbox-done-${locale}-${width}.png`, SHOTS).pathname });
          for (const report of [a, b]) {
            expect((await findReportById(server.ctx.database.db, report.id))?.status).toBe('informative');
          }
        } finally {
          await page.close();
        }
      }
    });
  }
  it('denies the access requests selected with "select all on this page"', async () => {
    const document = await publishGatedDocument(server.ctx);
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        for (let i = 0; i < 2; i += 1) {
          await requestAndConfirm(server.app, server.ctx, { slug: document.slug, email: visitorEmail() });
        }
        const page = await signedInPage(browser, server, { role: 'admin', locale, width });
        try {
          await page.goto(`${server.baseUrl}/app/trust/access`);
          await page.getByRole('checkbox', { name: SELECT_PAGE[locale] }).check();
          const bar = page.getByTestId('bulk-bar');
          await bar.waitFor();
          expect(await sidewaysOverflow(page)).toBe(0);
          await page.screenshot({ path: new URL(`bulk-requests-${locale}-${width}.png`, SHOTS).pathname });
          await bar.getByRole('button', { name: DENY[locale], exact: true }).click();
          await page.getByText(DONE[locale]).waitFor();
        } finally {
          await page.close();
        }
      }
    }
  });
});
