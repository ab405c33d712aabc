import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { updateProfile } from '../../src/trust/content/content.service.ts';
import { publishSite } from '../../src/trust/publication/publication.service.ts';
import { publishIntakeProgram, REPORTS_API, reportBody } from '../disclosure/intake/intake-helpers.ts';
import { publishGatedDocument } from '../fixtures/access.ts';
import { loginAs, makeUser } from '../fixtures/identity.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const WIDTHS = [1366, 390] as const;
/** Screenshots land here for people to look at; CI keeps the folder out of git. */
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);

type Box = { x: number; y: number; width: number; height: number };
type FieldLayout = { id: string; label: Box; control: Box; container: Box; tag: string };

/**
 * The boxes of every visible text-like control in the page's forms, with its label and the box of the
 * form or fieldset it fills: what a person sees of the layout, as numbers.
 */
async function formLayout(page: Page): Promise<FieldLayout[]> {
  return page.evaluate(() => {
    const box = (element: Element) => {
      const r = element.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const controls = Array.from(
      document.querySelectorAll<HTMLElement>(
        'form input:not([type=checkbox]):not([type=radio]):not([type=hidden]), form select, form textarea',
      ),
    ).filter((element) => element.offsetParent !== null);
    return controls.map((control) => {
      const label = document.querySelector(`label[for="${control.id}"]`);
      const container = control.closest('fieldset') ?? control.closest('form');
      const style = container ? getComputedStyle(container) : null;
      const containerBox = container ? box(container) : box(document.body);
      // The content box: what a full-width control can fill.
      const inset = style
        ? Number.parseFloat(style.paddingLeft) +
          Number.parseFloat(style.paddingRight) +
          Number.parseFloat(style.borderLeftWidth) +
          Number.parseFloat(style.borderRightWidth)
        : 0;
      return {
        id: control.id,
        tag: control.tagName.toLowerCase(),
        label: label ? box(label) : { x: 0, y: 0, width: 0, height: 0 },
        control: box(control),
        container: { ...containerBox, width: containerBox.width - inset },
      };
    });
  });
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/** Labels above their inputs, inputs the full width of their form, nothing on top of anything else. */
function expectStackedLayout(fields: FieldLayout[], where: string) {
  expect(fields.length, `${where}: no form controls found`).toBeGreaterThan(0);
  for (const field of fields) {
    const what = `${where} #${field.id}`;
    expect(field.label.width, `${what} has no visible label`).toBeGreaterThan(0);
    expect(field.label.y + field.label.height, `${what}: label is not above its control`).toBeLessThanOrEqual(
      field.control.y + 1,
    );
    expect(field.control.width, `${what}: control is not full width`).toBeGreaterThanOrEqual(
      field.container.width * 0.95,
    );
  }
  const boxes = fields.flatMap((field) => [
    { name: `label of #${field.id}`, box: field.label },
    { name: `#${field.id}`, box: field.control },
  ]);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a && b) expect(overlaps(a.box, b.box), `${where}: ${a.name} overlaps ${b.name}`).toBe(false);
    }
  }
}

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('public forms: one layout, checked as a person sees it, in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let followPath: string;
  let requestPath: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    // An admin publishes: it also gives the organization's security contact a fresh install lacks.
    const admin = await loginAs(server.app, server.ctx, 'admin');
    const version = await publishIntakeProgram(server.app, admin.headers);
    const filed = await server.app.inject({
      method: 'POST',
      url: REPORTS_API,
      payload: reportBody(version),
      headers: { 'x-forwarded-for': '198.51.100.77' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    followPath = new URL(filed.json().followUrl).pathname.replace(/^\/en/, '');
    const document = await publishGatedDocument(server.ctx, {
      title: { en: 'SOC 2 report', es: 'Informe SOC 2', fr: 'Rapport SOC 2' },
    });
    requestPath = `/documents/${document.slug}/request`;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const pages = () => [
    { name: 'report-form', path: '/security/report' },
    { name: 'follow', path: followPath },
    { name: 'access-request', path: requestPath },
  ];

  for (const locale of LOCALES) {
    it(`lays out the report, reply, credit and access-request forms in ${locale} at desktop and phone widths`, async () => {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          for (const target of pages()) {
            const response = await page.goto(`${server.baseUrl}/${locale}${target.path}`);
            expect(response?.status(), `${target.name} ${locale}`).toBe(200);
            await page.screenshot({
              path: new URL(`${target.name}-${locale}-${width}.png`, SHOTS).pathname,
              fullPage: true,
            });
            expectStackedLayout(await formLayout(page), `${target.name} ${locale} ${width}px`);
            // Nothing wider than the screen: a phone never scrolls sideways.
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            expect(overflow, `${target.name} ${locale} ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
          }
        } finally {
          await page.close();
        }
      }
    });
  }

  it('styles the policy preview in the admin app: its sandboxed frame may load the public stylesheet', async () => {
    const made = await makeUser(server.ctx, { role: 'security' });
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await page.goto(`${server.baseUrl}/app/login`);
      await page.getByLabel('Email').fill(made.user.email);
      await page.getByLabel('Password').fill(made.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Authentication code').fill(currentTotp(made.totpSecret as string));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('button', { name: /sign out/i }).waitFor();
      await page.goto(`${server.baseUrl}/app/disclosure/program`);
      await page.getByRole('tab', { name: 'Preview' }).click();
      const frame = page.frameLocator('iframe');
      await frame.locator('h1').waitFor();
      // Styled by trust.css: the report link is the accent button; unstyled it stays a blue underlined link.
      await expect
        .poll(
          () =>
            frame
              .locator('a.button')
              .first()
              .evaluate((a) => getComputedStyle(a).backgroundColor),
          {
            timeout: 15_000,
          },
        )
        .toBe('rgb(11, 92, 173)');
      await page.screenshot({ path: new URL('policy-preview-en-1366.png', SHOTS).pathname, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('shows a wide wordmark at its own shape in the public header, at desktop and phone widths', async () => {
    const wordmark = `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40"><rect width="180" height="40" fill="#0b5cad"/></svg>`;
    await updateProfile(server.ctx, systemActor('test'), {
      logo: `data:image/svg+xml;base64,${Buffer.from(wordmark).toString('base64')}`,
    });
    await publishSite(server.ctx, systemActor('test'));
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 700 } });
        try {
          await page.goto(`${server.baseUrl}/${locale}/`);
          const logo = await page.locator('img.logo').boundingBox();
          expect(logo?.height).toBe(40);
          // 180 × 40: the width follows the image (4.5 : 1), never squeezed into a square; on a phone it
          // may give up a little width to leave room for the company name.
          expect(logo?.width).toBeGreaterThanOrEqual(Math.min(180, width * 0.45) - 1);
          await page.screenshot({ path: new URL(`header-logo-${locale}-${width}.png`, SHOTS).pathname });
        } finally {
          await page.close();
        }
      }
    }
  });
});
