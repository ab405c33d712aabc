import { randomUUID } from 'node:crypto';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustDocumentFiles, trustDocuments } from '../../src/trust/tables.ts';
import { publish } from '../disclosure/program/program-helpers.ts';
import { loginAs, type SignedIn } from '../fixtures/identity.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const PAGES = [
  '/',
  '/subprocessors',
  '/updates',
  '/documents/dpa',
  '/documents/soc2-report',
  '/documents/pentest-report',
  '/documents/old-certificate',
  '/documents/missing',
  // The disclosure program's public pages share the site: same layout, same accessibility bar.
  '/security/policy',
  '/security/report',
  '/security/advisories',
  '/security/thanks',
  '/security/portal',
];

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('public trust center in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: SignedIn;

  const api = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    server.app.inject({ method, url: `/api/v1/trust${url}`, headers: admin.headers, payload });

  /** Serious and critical axe-core findings (WCAG 2.0–2.2 A/AA and best practices) on the loaded page. */
  async function seriousViolations(page: Page): Promise<string[]> {
    // page.evaluate goes through the DevTools protocol, so the page's CSP (script-src 'self') doesn't block it.
    await page.evaluate(axe.source);
    const violations = await page.evaluate(async () => {
      const w = window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> };
      };
      const result = await w.axe.run(document, {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
        },
      });
      return result.violations;
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  }

  async function open(
    path: string,
  ): Promise<{ page: Page; cspErrors: string[]; status: number | undefined }> {
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        cspErrors.push(message.text());
    });
    const response = await page.goto(`${server.baseUrl}${path}`);
    return { page, cspErrors, status: response?.status() };
  }

  async function insertDocument(values: typeof trustDocuments.$inferInsert): Promise<void> {
    const [doc] = await server.ctx.database.db.insert(trustDocuments).values(values).returning();
    await server.ctx.database.db.insert(trustDocumentFiles).values({
      documentId: doc?.id as string,
      locale: null,
      version: 1,
      fileName: `${values.slug}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: 100,
      sha256: 'c'.repeat(64),
      storageKey: randomUUID(),
    });
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    admin = await loginAs(server.app, server.ctx, 'admin');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports a serious issue when there is one (the check is not vacuous)', async () => {
    const { page } = await open('/en/');
    await page.evaluate(() =>
      document.querySelector('main')?.insertAdjacentHTML('beforeend', '<input type="text">'),
    );
    expect((await seriousViolations(page)).join('\n')).toContain('label');
    await page.close();
  }, 60_000);

  it('has no serious or critical accessibility issue on the "not published yet" page', async () => {
    for (const locale of LOCALES) {
      const { page, status } = await open(`/${locale}/`);
      expect(status).toBe(200);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    }
  }, 60_000);

  describe('once published', () => {
    beforeAll(async () => {
      await api('PATCH', '/profile', {
        companyName: 'Example Corp',
        summary: { en: 'Keeping your data safe.', es: 'Protegemos sus datos.' },
        securityContact: 'security@example.com',
        logo: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      });
      for (const [name, status] of [
        ['ISO 27001', 'compliant'],
        ['SOC 2 Type II', 'compliant'],
        ['GDPR', 'compliant'],
        ['CCPA', 'in_progress'],
        ['HIPAA', 'planned'],
      ] as const) {
        await api('POST', '/certifications', {
          name,
          status,
          auditor: 'Example Auditors LLP',
          obtainedOn: '2024-06-01',
          validUntil: '2027-05-31',
          description: { en: `${name} scope covers the whole platform.` },
        });
      }
      await api('POST', '/sections', {
        kind: 'control_family',
        familyKey: 'backups',
        title: { en: 'Backups' },
        body: { en: 'Encrypted, tested every quarter.' },
        status: 'in_progress',
        lastVerifiedOn: '2025-04-30',
      });
      await api('POST', '/faqs', { question: { en: 'Where is data stored?' }, answer: { en: 'In the EU.' } });
      await api('POST', '/subprocessors', {
        name: 'Example Cloud',
        purpose: { en: 'Hosting', fr: 'Hébergement' },
        location: 'EU (Frankfurt)',
        website: 'https://cloud.example',
        effectiveOn: '2025-01-15',
      });
      await api('POST', '/updates', {
        slug: 'q1-review',
        title: { en: 'Quarterly access review done' },
        body: { en: 'All access was reviewed.\n\nTwo accounts were removed.' },
        publishedOn: '2025-04-02',
      });
      await insertDocument({
        slug: 'dpa',
        title: { en: 'Data Processing Agreement' },
        accessLevel: 'public',
      });
      await insertDocument({
        slug: 'soc2-report',
        title: { en: 'SOC 2 Type II report' },
        accessLevel: 'request',
      });
      await insertDocument({
        slug: 'pentest-report',
        title: { en: 'Penetration test report' },
        accessLevel: 'nda',
      });
      await insertDocument({
        slug: 'old-certificate',
        title: { en: 'Old certificate' },
        accessLevel: 'public',
        validUntil: '2020-01-01',
      });
      expect((await api('POST', '/publish')).statusCode).toBe(201);
      // The disclosure pages are public only once the program is published (with a real contact).
      await publish(server.app, admin.headers);
    }, 60_000);

    for (const locale of LOCALES) {
      it(`has no serious or critical accessibility issue on any ${locale} page, under the strict CSP`, async () => {
        for (const path of PAGES) {
          const { page, cspErrors, status } = await open(`/${locale}${path}`);
          expect(status, path).toBe(path === '/documents/missing' ? 404 : 200);
          expect(await page.getAttribute('html', 'lang')).toBe(locale);
          expect(await seriousViolations(page), `${locale}${path}`).toEqual([]);
          expect(cspErrors, path).toEqual([]);
          await page.close();
        }
      }, 120_000);
    }

    it('applies the site stylesheet and shows the skip link when it gets keyboard focus', async () => {
      const { page } = await open('/en/');
      const skip = page.locator('a.skip-link');
      const hiddenTop = await skip.evaluate((el) => el.getBoundingClientRect().top);
      expect(hiddenTop).toBeLessThan(0);
      await page.keyboard.press('Tab');
      expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await skip.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
      expect(await skip.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
      await page.close();
    }, 30_000);

    it('serves a sitemap and Atom feeds the browser parses as XML', async () => {
      const { page } = await open('/en/');
      for (const path of ['/sitemap.xml', '/en/updates.atom', '/es/updates.atom', '/fr/updates.atom']) {
        const parsed = await page.evaluate(async (url) => {
          const text = await (await fetch(url)).text();
          const doc = new DOMParser().parseFromString(text, 'application/xml');
          return {
            error: doc.getElementsByTagName('parsererror').length > 0,
            root: doc.documentElement.localName,
          };
        }, path);
        expect(parsed, path).toEqual({ error: false, root: path === '/sitemap.xml' ? 'urlset' : 'feed' });
      }
      await page.close();
    }, 30_000);

    it('keeps the page when the visitor switches language, with no cookie set', async () => {
      const { page } = await open('/en/subprocessors');
      await page.getByRole('link', { name: 'Español' }).click();
      expect(new URL(page.url()).pathname).toBe('/es/subprocessors');
      expect(await page.locator('h1').textContent()).toBe('Subencargados del tratamiento');
      expect(await page.context().cookies()).toEqual([]);
      await page.close();
    }, 30_000);
  });
});
