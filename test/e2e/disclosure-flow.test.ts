import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosureReports } from '../../src/disclosure/tables.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { publishIntakeProgram } from '../disclosure/intake/intake-helpers.ts';
import { createAdvisory, publishAdvisory } from '../fixtures/advisories.ts';
import { loginAs, makeUser, type SignedIn } from '../fixtures/identity.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const RESEARCHER = { name: 'Camille Lefèvre', email: 'camille@chercheurs.example.test' };
const ASSESSMENT =
  'Vulnérabilité confirmée : XSS stockée, gravité élevée. Correctif en cours de développement.';
const DISCLOSURE_API = '/api/v1/disclosure';

/** Signs in through the admin app's own forms: password, then the TOTP code. */
async function signIn(page: Page, baseUrl: string, made: Awaited<ReturnType<typeof makeUser>>) {
  await page.goto(`${baseUrl}/app/login`);
  await page.getByLabel('Email').fill(made.user.email);
  await page.getByLabel('Password').fill(made.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(currentTotp(made.totpSecret as string));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('button', { name: /sign out/i }).waitFor();
}

/** A date `days` ahead, as the YYYY-MM-DD a date input takes. */
function daysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Collects CSP violations a page reports in its console. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)(
  'a vulnerability report from a French researcher, end to end in Chromium',
  () => {
    let browser: Browser;
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let team: SignedIn;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      server = await startTestServer({ SMTP_URL: smtp.url });
      browser = await launchChromium();
      team = await loginAs(server.app, server.ctx, 'security');
      // Nothing is public until an admin publishes the program (with the organization's security contact).
      const admin = await loginAs(server.app, server.ctx, 'admin');
      await publishIntakeProgram(server.app, admin.headers);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await smtp?.close();
    });

    const api = (method: 'POST' | 'GET', url: string, payload?: object) =>
      server.app.inject({ method, url: `${DISCLOSURE_API}${url}`, headers: team.headers, payload });

    it('form in French → French receipt with the due date → first response in the admin app → seen on the follow link → fix → advisory with credit → hall of fame', async () => {
      // 1. The researcher reports through the French form.
      const researcher = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
      const researcherCsp = watchCsp(researcher);
      await researcher.goto(`${server.baseUrl}/fr/security/report`);
      expect(await researcher.getAttribute('html', 'lang')).toBe('fr');
      await researcher.locator('[name="asset"]').selectOption({ index: 1 });
      await researcher.locator('[name="category"]').selectOption('cross-site-scripting');
      await researcher.locator('[name="title"]').fill('XSS stockée dans le nom du profil');
      await researcher
        .locator('[name="description"]')
        .fill('Le champ « nom affiché » du profil est rendu sans échappement sur la page publique.');
      await researcher
        .locator('[name="steps"]')
        .fill('1. Mettre <img src=x onerror=alert(1)> comme nom.\n2. Ouvrir le profil public.');
      await researcher.locator('[name="impact"]').fill('Vol de session de tout visiteur du profil.');
      await researcher.locator('[name="name"]').fill(RESEARCHER.name);
      await researcher.locator('[name="email"]').fill(RESEARCHER.email);
      await researcher.locator('[name="creditPreference"][value="name"]').check();
      await researcher.locator('[name="acceptPolicy"]').check();
      await researcher.locator('form button[type="submit"]').click();
      await researcher.getByRole('heading', { name: /Merci\s: le rapport n° \d+ est bien reçu/ }).waitFor();
      const followUrl = await researcher.locator('a[href*="/security/follow/"]').first().getAttribute('href');
      expect(followUrl).toBeTruthy();

      const [report] = await server.ctx.database.db
        .select()
        .from(disclosureReports)
        .orderBy(disclosureReports.number)
        .limit(1);
      expect(report).toMatchObject({ channel: 'web', locale: 'fr', status: 'new', creditPreference: 'name' });
      const reportId = report?.id as string;

      // 2. The receipt arrives by SMTP, in French, with the promised date and the private link.
      const receipt = await smtp.waitFor(
        (mail) => mail.to.includes(RESEARCHER.email) && mail.subject.startsWith('Nous avons reçu'),
        30_000,
      );
      expect(receipt.text).toContain('au plus tard le');
      expect(receipt.text).toMatch(
        /\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}/,
      );
      expect(receipt.text).toContain('/fr/security/follow/');

      // 3. The triager answers in the admin app: an assessment and an expected resolution date.
      const triager = await makeUser(server.ctx, { role: 'security' });
      const admin = await (await browser.newContext({ locale: 'en-US' })).newPage();
      await signIn(admin, server.baseUrl, triager);
      const adminCsp = watchCsp(admin);
      await admin.goto(`${server.baseUrl}/app/disclosure/reports/${reportId}`);
      await admin.getByText('XSS stockée dans le nom du profil').first().waitFor();
      await admin.getByLabel('Assessment').fill(ASSESSMENT);
      await admin.getByLabel('Expected resolution date').fill(daysAhead(14));
      await admin.getByRole('button', { name: 'Send first response' }).click();
      await admin.getByText('First response sent').first().waitFor();
      expect(adminCsp).toEqual([]);

      // 4. The researcher reads it on the follow link (and gets it by mail, in French).
      await researcher.goto(followUrl as string);
      await researcher.getByText(ASSESSMENT).waitFor();
      await smtp.waitFor(
        (mail) => mail.to.includes(RESEARCHER.email) && mail.text.includes(ASSESSMENT),
        30_000,
      );

      // 5. The fix: accepted, fixing, resolved.
      for (const to of ['accepted', 'fixing', 'resolved']) {
        const moved = await api('POST', `/reports/${reportId}/transition`, { to });
        expect(moved.statusCode, moved.body).toBe(200);
      }
      await researcher.goto(followUrl as string);
      expect(await researcher.locator('main').textContent()).toMatch(/résolu/i);

      // 6. An advisory crediting the researcher, published.
      const advisory = await createAdvisory(server.app, team.headers, {
        reportId,
        credits: [{ name: RESEARCHER.name, type: 'finder' }],
      });
      const published = await publishAdvisory(server.app, team.headers, advisory.id);
      expect(published.statusCode, published.body).toBe(200);
      await researcher.goto(`${server.baseUrl}/fr/security/advisories/${advisory.identifier}`);
      expect(await researcher.locator('main').textContent()).toContain(RESEARCHER.name);

      // 7. The hall of fame lists the researcher, who agreed to be named.
      const thanks = await researcher.goto(`${server.baseUrl}/fr/security/thanks`);
      expect(thanks?.status()).toBe(200);
      expect(await researcher.locator('main').textContent()).toContain(RESEARCHER.name);
      expect(researcherCsp).toEqual([]);

      const [after] = await server.ctx.database.db
        .select({ status: disclosureReports.status, firstResponseAt: disclosureReports.firstResponseAt })
        .from(disclosureReports)
        .where(eq(disclosureReports.id, reportId));
      expect(after?.status).toBe('resolved');
      expect(after?.firstResponseAt).toBeInstanceOf(Date);
    }, 240_000);
  },
);
