import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { createReport } from '../../src/disclosure/reports/reports.service.ts';
import { disclosureMessages, disclosureReports } from '../../src/disclosure/tables.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { makeUser } from '../fixtures/identity.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

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

/** Console errors (CSP violations included: Chromium reports them there) from now on. */
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** A report as the public form would file it, through the lead's createReport. */
async function fileReport(
  server: Awaited<ReturnType<typeof startTestServer>>,
  title: string,
  reporter: { name: string; email: string; handle?: string },
  attachments: { fileName: string; contentType: string; content: Buffer }[] = [],
) {
  const created = await server.ctx.database.db.transaction((tx) =>
    createReport(
      server.ctx,
      tx,
      systemActor('e2e test'),
      {
        locale: 'en',
        asset: 'app.example.test',
        content: {
          title,
          description: 'Invoice notes are rendered as HTML without escaping.',
          steps: '1. Add a note <img src=x onerror=alert(1)>\n2. Open the invoice',
          impact: 'Script runs in the accountant session.',
        },
        reporter,
        creditPreference: 'handle',
        attachments,
      },
      { channel: 'web' },
    ),
  );
  return created.report;
}

/** A YYYY-MM-DD date `days` from now. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

// Skips only on a machine without Debian's Chromium; .ci/run installs it, so CI always runs this.
describe.skipIf(!hasChromium)('vulnerability report triage in the admin app, in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  // Generous: a whole server plus Chromium, on two cores shared with other suites.
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets a security user answer a new report, rate it, move it on, and read the metrics', async () => {
    const report = await fileReport(
      server,
      'Stored XSS in the invoice notes',
      { name: 'Zoë Łukasz', email: 'zoe@researcher.test', handle: 'zoel' },
      [{ fileName: 'poc.txt', contentType: 'text/plain', content: Buffer.from('proof of concept\n') }],
    );
    const security = await makeUser(server.ctx, { role: 'security' });
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(page, server.baseUrl, security);
    // Recorded once signed in: the login page's session probe answers 401 by design.
    const errors = recordErrors(page);

    // The inbox: the new report, its clock running.
    await page.getByRole('link', { name: 'Vulnerability reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vulnerability reports' }).waitFor();
    const row = page.getByRole('row', { name: /Stored XSS in the invoice notes/ });
    await row.getByText(/^Due in \d+ d \d+ h$/).waitFor();
    await row.getByText('New', { exact: true }).waitFor();

    // The report: content as plain text (the markup stays text), reporter, attachment.
    await row.getByRole('link', { name: 'Stored XSS in the invoice notes' }).click();
    await page
      .getByRole('heading', { level: 1, name: `#${report.number} Stored XSS in the invoice notes` })
      .waitFor();
    await page.getByText('<img src=x onerror=alert(1)>', { exact: false }).waitFor();
    await page.getByText('zoe@researcher.test').waitFor();
    await page.getByRole('link', { name: 'poc.txt' }).waitFor();

    // The first response needs both an assessment and a date.
    await page.getByRole('button', { name: 'Send first response' }).click();
    await page.getByText('Write your assessment of the report.').waitFor();
    await page.getByLabel('Assessment').fill('Confirmed: notes are not escaped. We are fixing it.');
    await page.getByLabel('Expected resolution date').fill(dayFromNow(30));
    await page.getByRole('button', { name: 'Send first response' }).click();
    await page.getByText(/^First response sent .+\.$/).waitFor();
    await page.getByText('Answered', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Send first response' }).count()).toBe(0);

    // CVSS: the score follows the vector live, and saving rates the report.
    await page.getByLabel('CVSS vector').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N');
    await page.getByText('9.3 Critical').waitFor();
    await page.getByLabel('Weakness (CWE)').fill('79');
    await page.getByRole('button', { name: 'Save triage' }).click();
    await page.getByText('Triage saved').waitFor();

    // An internal note is marked as such in the timeline.
    // The segmented control's radios are visually hidden behind their labels: pick by the label.
    await page.locator('label', { hasText: /^Internal note$/ }).click();
    expect(await page.getByRole('radio', { name: 'Internal note' }).isChecked()).toBe(true);
    await page.getByLabel('Note', { exact: true }).fill('Same root cause as the comment editor.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await page.getByText('Internal note added').waitFor();
    await page.getByText('Same root cause as the comment editor.').waitFor();

    // The state moves on, through the actions the server allows.
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Message to the researcher (optional)').fill('We accept the report.');
    await dialog.getByRole('button', { name: `Move #${report.number} to Accepted` }).click();
    await page.getByText(`#${report.number} is now Accepted`).waitFor();
    await page.getByRole('button', { name: 'Start fixing' }).waitFor();

    const [stored] = await server.ctx.database.db
      .select()
      .from(disclosureReports)
      .where(eq(disclosureReports.id, report.id));
    expect(stored?.status).toBe('accepted');
    expect(stored?.firstResponseAt).not.toBeNull();
    expect(stored?.expectedResolutionOn).toBe(dayFromNow(30));
    expect(stored?.severity).toBe('critical');
    expect(stored?.cweId).toBe('CWE-79');
    const kinds = await server.ctx.database.db
      .select({ kind: disclosureMessages.kind, first: disclosureMessages.isFirstResponse })
      .from(disclosureMessages)
      .where(eq(disclosureMessages.reportId, report.id));
    expect(kinds).toContainEqual({ kind: 'team', first: true });
    expect(kinds).toContainEqual({ kind: 'note', first: false });

    // Metrics: totals and charts render.
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Metrics' }).click();
    await page.getByRole('heading', { level: 1, name: 'Disclosure metrics' }).waitFor();
    await page.getByRole('heading', { name: 'Time to first response (median)' }).waitFor();
    await page.getByRole('img', { name: /Median time from receipt to first response per month/ }).waitFor();

    expect(errors).toEqual([]);
  }, 300_000);

  it('answers from a canned response, erases the reporter on request, and closes a duplicate', async () => {
    const original = await fileReport(server, 'XSS in invoice notes field', {
      name: 'Ana Torres',
      email: 'ana@researcher.test',
    });
    const duplicate = await fileReport(server, 'XSS in the invoice notes field', {
      name: 'Bo Berg',
      email: 'bo@researcher.test',
    });
    const security = await makeUser(server.ctx, { role: 'security' });
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(page, server.baseUrl, security);
    const errors = recordErrors(page);

    // A canned response, written once for English reports.
    await page.goto(`${server.baseUrl}/app/disclosure/reports/canned-responses`);
    await page.getByRole('heading', { level: 1, name: 'Canned responses' }).waitFor();
    await page.getByRole('button', { name: 'Add canned response' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Title').fill('Thanks, investigating');
    await form.getByLabel('Text').fill('Thank you for the report. We are looking into it.');
    await form.getByRole('button', { name: 'Add canned response' }).click();
    await page.getByRole('cell', { name: 'Thanks, investigating', exact: true }).waitFor();

    // The duplicate: answered from the canned response, its reporter erased, closed against the original.
    await page.goto(`${server.baseUrl}/app/disclosure/reports/${duplicate.id}`);
    await page
      .getByRole('heading', { level: 1, name: `#${duplicate.number} XSS in the invoice notes field` })
      .waitFor();
    await page.getByLabel('Canned response (English)').selectOption({ label: 'Thanks, investigating' });
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe(
      'Thank you for the report. We are looking into it.',
    );
    await page.getByRole('button', { name: 'Send to the researcher' }).click();
    await page.getByText('Message sent to the researcher').waitFor();
    await page.getByText('To the researcher', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Erase personal data' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Erase', exact: true }).click();
    await page.getByText("The reporter's personal data was erased.").waitFor();
    await page.getByText(/^The researcher's personal data was erased on /).waitFor();
    expect(await page.getByText('bo@researcher.test').count()).toBe(0);

    await page.getByRole('button', { name: 'Duplicate', exact: true }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Original report').inputValue()).toBe(original.id);
    await dialog.getByRole('button', { name: `Move #${duplicate.number} to Duplicate` }).click();
    await page.getByText(`#${duplicate.number} is now Duplicate`).waitFor();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();

    const [stored] = await server.ctx.database.db
      .select()
      .from(disclosureReports)
      .where(eq(disclosureReports.id, duplicate.id));
    expect(stored?.status).toBe('duplicate');
    expect(stored?.duplicateOf).toBe(original.id);
    expect(stored?.reporterSealed).toBeNull();
    expect(stored?.erasedAt).not.toBeNull();
    expect(errors).toEqual([]);
  }, 300_000);
});
