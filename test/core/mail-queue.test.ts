import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { mailClassOf } from '../../src/core/mail/mail.classes.ts';
import { mailSendJob, queueMail } from '../../src/core/mail/mail.jobs.ts';
import { mailQuotas } from '../../src/core/mail/tables.ts';
import { findReportById } from '../../src/disclosure/reports/reports.store.ts';
import {
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
} from '../disclosure/intake/intake-helpers.ts';
import { loginAs, makeUser, runPasswordResetJobs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

describe('mail priority: account mail before bulk mail', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await buildTestApp({ env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('classes every kind of mail: account links first, anonymous-triggered bulk last', () => {
    expect(mailClassOf('password-reset')).toBe('account');
    expect(mailClassOf('invitation')).toBe('account');
    expect(mailClassOf('mfa-changed')).toBe('account');
    expect(mailClassOf('account-locked')).toBe('account');
    expect(mailClassOf('disclosure-team-activity')).toBe('team');
    expect(mailClassOf('disclosure-researcher-receipt')).toBe('bulk');
    expect(mailClassOf('trust-subscription-confirm')).toBe('bulk');
    expect(mailClassOf('trust-access-confirm')).toBe('bulk');
  });

  it('sends a password reset queued after 200 bulk mails first', async () => {
    const db = t.ctx.database.db;
    await db.transaction(async (tx) => {
      for (let i = 0; i < 200; i += 1) {
        await queueMail(t.ctx, tx, {
          to: `bulk-${i}@example.test`,
          template: 'trust-subscription-confirm',
          locale: 'en',
          vars: {
            organizationName: 'Acme',
            link: `https://attest.example.test/en/subscriptions/confirm/${i}`,
          },
        });
      }
    });
    const user = await makeUser(t.ctx, { role: 'employee' });
    await db.transaction((tx) =>
      queueMail(t.ctx, tx, {
        to: user.user.email,
        template: 'password-reset',
        locale: 'en',
        vars: {
          organizationName: 'Acme',
          link: 'https://attest.example.test/app/reset-password?token=urgent',
          expiresAt: new Date(Date.now() + 3_600_000),
        },
        cause: systemActor('test'),
      }),
    );

    // The test app runs no workers: start one now, with all 201 mails waiting.
    await t.ctx.jobs.work([mailSendJob(t.ctx.mailer, t.ctx.keyring)]);
    await smtp.waitFor(() => true);
    expect(smtp.messages[0]?.to).toBe(user.user.email);
    expect(smtp.messages[0]?.text).toContain('token=urgent');
  });
});

describe('mail caused by anonymous requests is capped per recipient and per client address', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;
  const warnings: string[] = [];
  const PER_CLIENT = 6;

  beforeAll(async () => {
    t = await buildTestApp({ env: { MAIL_ANONYMOUS_PER_CLIENT_PER_HOUR: String(PER_CLIENT) } });
    t.ctx.warn = (message) => warnings.push(message);
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  const requestReset = (email: string, remoteAddress = uniqueIp()) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/password-reset',
      remoteAddress,
      payload: { email },
    });

  it('queues at most 20 mails an hour to one address, whatever the client; the 21st request still answers 202', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    for (let i = 0; i < 21; i += 1) expect((await requestReset(made.user.email)).statusCode).toBe(202);
    // The reset's own work (and its mail) runs in a job after the answer, as an anonymous cause still.
    await runPasswordResetJobs(t.ctx);
    expect(await queuedMails(t.ctx, made.user.email)).toHaveLength(
      t.ctx.config.mailAnonymousPerRecipientPerHour,
    );
    expect(t.ctx.config.mailAnonymousPerRecipientPerHour).toBe(20);
    const warning = warnings.find((line) => line.includes('password-reset'));
    expect(warning).toMatch(
      /mail dropped: password-reset \(account\).*recipient cap \(1 dropped this hour\)/,
    );
    expect(warning).not.toContain(made.user.email);
    // The counters hold keyed hashes, never the address.
    const keys = (await t.ctx.database.db.select().from(mailQuotas)).map((row) => row.key);
    expect(keys.join(' ')).not.toContain(made.user.email);
  });

  it('stores every report from one client, and drops the mail past that client’s cap', async () => {
    const ip = uniqueIp();
    const reporters: string[] = [];
    const ids: string[] = [];
    // Each report queues a receipt and one notice per triager (here the admin): 2 mails a report.
    for (let i = 0; i < PER_CLIENT / 2 + 1; i += 1) {
      const reporter = researcherEmail();
      reporters.push(reporter);
      const res = await postMultipart(
        t.app,
        REPORTS_API,
        [{ name: 'report', value: JSON.stringify(reportBody(version, { reporter: { email: reporter } })) }],
        { remoteAddress: ip },
      );
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    for (const id of ids) expect(await findReportById(t.ctx.database.db, id)).toBeDefined();
    const receipts = await Promise.all(reporters.map((reporter) => queuedMails(t.ctx, reporter)));
    expect(receipts.map((mails) => mails.length)).toEqual([1, 1, 1, 0]);
    expect(warnings.some((line) => /disclosure-researcher-receipt \(bulk\).*client cap/.test(line))).toBe(
      true,
    );

    // Another client is not held back by the first one's flood.
    const other = researcherEmail();
    const res = await postMultipart(t.app, REPORTS_API, [
      { name: 'report', value: JSON.stringify(reportBody(version, { reporter: { email: other } })) },
    ]);
    expect(res.statusCode).toBe(201);
    expect(await queuedMails(t.ctx, other)).toHaveLength(1);
  });

  it('never caps mail that signed-in people cause', async () => {
    const invitee = `invitee-${Date.now()}@example.test`;
    for (let i = 0; i < PER_CLIENT + 1; i += 1) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/identity/invitations',
        remoteAddress: uniqueIp(),
        headers: admin.headers,
        payload: { email: `${i}-${invitee}`, role: 'employee' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const all = await queuedMails(t.ctx);
    expect(all.filter((mail) => mail.to.endsWith(invitee))).toHaveLength(PER_CLIENT + 1);
  });
});
