import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateSender } from '../../../../src/disclosure/channels/mail/mail-intake.auth.ts';
import { type MailIntake, startMailIntake } from '../../../../src/disclosure/channels/mail/mail-intake.ts';
import { loginAs, type SignedIn } from '../../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../../helpers/app.ts';
import { dkimOption, publishDkimKey, signRaw } from './mail-auth-helpers.ts';
import {
  deliver,
  newMessageId,
  openReport,
  RESEARCHER_DKIM,
  SECURITY_ADDRESS,
  type sendTo,
  testDns,
} from './mail-intake-helpers.ts';

const MAIL_ENV = { DISCLOSURE_SMTP_PORT: '0', DISCLOSURE_MAIL_ADDRESS: SECURITY_ADDRESS };

/**
 * Issue 7, item 15: a mail with a forged From and the right In-Reply-To joined the report it pointed at.
 * Replies now thread only when the From domain is authenticated (DMARC pass, or without a DMARC record an
 * aligned DKIM or SPF pass); the others open a new report flagged unverified for the team. DNS records are
 * served from memory (testDns), the messages DKIM-signed with keys made here.
 */

// signed.test: signs everything with DKIM and asks for DMARC; its SPF lets no one send (so only DKIM can
// authenticate it). attacker.test: DKIM keys of its own, that say nothing about signed.test.
const signedKey = publishDkimKey(testDns, 'signed.test', 'mail');
testDns.txt('signed.test', 'v=spf1 -all').txt('_dmarc.signed.test', 'v=DMARC1; p=reject');
const attackerKey = publishDkimKey(testDns, 'attacker.test', 'evil');
testDns.txt('attacker.test', 'v=spf1 ip4:127.0.0.1 -all');
// spf-only.test: no DKIM, no DMARC; only its own server (not 127.0.0.1) may send for it.
testDns.txt('spf-only.test', 'v=spf1 ip4:192.0.2.25 -all');

describe('sender authentication of e-mail replies', () => {
  let t: TestApp;
  let intake: MailIntake;
  let port: number;
  let security: SignedIn;

  const unique = (name: string, domain: string) =>
    `${name}-${Math.random().toString(36).slice(2, 8)}@${domain}`;

  async function reportFrom(from: string, subject: string) {
    const first = await sendSigned(from, { subject, text: 'The first report.' });
    expect(first.outcome?.kind).toBe('report');
    const reportId = first.outcome?.reportId as string;
    return { reportId, receiptId: `<vdp.${reportId}.receipt@localhost>`, messageId: first.messageId };
  }

  function sendSigned(from: string, mail: Parameters<typeof deliver>[2]) {
    return deliverWith(dkimOption(signedKey), { from, ...mail });
  }

  /** `deliver` with transport options (a DKIM key to sign with). */
  function deliverWith(options: Parameters<typeof sendTo>[2], mail: Parameters<typeof deliver>[2]) {
    return deliver(t.ctx, port, mail, options);
  }

  async function detail(reportId: string) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/disclosure/reports/${reportId}`,
      headers: security.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    t = await buildTestApp({ env: MAIL_ENV });
    intake = await startMailIntake(t.ctx);
    port = intake.smtpPort as number;
    security = await loginAs(t.app, t.ctx, 'security');
  });
  afterAll(async () => {
    await intake?.close();
    await t?.close();
  });

  it('threads a DKIM-signed reply (DMARC pass) into the report, marked as verified', async () => {
    const from = unique('alice', 'signed.test');
    const { reportId, receiptId } = await reportFrom(from, 'IDOR on invoices');
    const reply = await sendSigned(from, {
      subject: 'Re: IDOR on invoices',
      text: 'Signed follow-up with a video.',
      inReplyTo: receiptId,
      references: receiptId,
    });
    expect(reply.outcome).toEqual({ kind: 'reply', reportId });
    const report = await openReport(t.ctx, reportId);
    expect(report.messages.map((m) => m.body).join('\n')).toContain('Signed follow-up with a video.');
    expect((await detail(reportId)).senderVerified).toBe(true);
  });

  it('opens a new report flagged unverified for a forged From with the right In-Reply-To', async () => {
    const from = unique('alice', 'signed.test');
    const { reportId, receiptId } = await reportFrom(from, 'SSRF in the webhook tester');
    const before = await openReport(t.ctx, reportId);

    // 1. No signature at all, From and envelope both claiming the reporter.
    const forged = await deliverWith(
      {},
      {
        from,
        subject: 'Re: SSRF in the webhook tester',
        text: 'Forged text that must not join the report.',
        inReplyTo: receiptId,
        references: receiptId,
      },
    );
    // 2. Validly signed, but by another domain (DMARC fails: not aligned with signed.test).
    const signedByOther = await deliverWith(dkimOption(attackerKey), {
      from,
      envelope: { from: unique('bounce', 'attacker.test'), to: [SECURITY_ADDRESS] },
      subject: 'Re: SSRF in the webhook tester',
      text: 'Second forgery, signed by attacker.test.',
      inReplyTo: receiptId,
      references: receiptId,
    });

    for (const attempt of [forged, signedByOther]) {
      expect(attempt.outcome?.kind).toBe('report');
      expect(attempt.outcome?.reportId).not.toBe(reportId);
      const opened = await openReport(t.ctx, attempt.outcome?.reportId as string);
      expect(opened.row.senderVerified).toBe(false);
      // The team learns why it is a separate report, the researcher's side does not.
      const note = opened.messages.find((m) => m.kind === 'note');
      expect(note?.body).toContain(`#${before.row.number}`);
      expect(note?.body).toMatch(/dmarc=fail/);
      // Shown to triagers by the API.
      expect((await detail(attempt.outcome?.reportId as string)).senderVerified).toBe(false);
    }
    const after = await openReport(t.ctx, reportId);
    expect(after.messages).toHaveLength(before.messages.length);
    expect(after.messages.map((m) => m.body).join('\n')).not.toContain('Forged text');
  });

  it('without a DMARC record, needs SPF for exactly the From domain or an aligned signature', async () => {
    const from = unique('bob', 'spf-only.test');
    // 127.0.0.1 is not spf-only.test's server, and nothing signs: its first mail is an unverified report.
    const first = await deliverWith({}, { from, subject: 'XSS in search', text: 'Reflected.' });
    const reportId = first.outcome?.reportId as string;
    expect((await openReport(t.ctx, reportId)).row.senderVerified).toBe(false);
    const reply = await deliverWith(
      {},
      {
        from,
        subject: 'Re: XSS in search',
        text: 'Same address, still not its server.',
        inReplyTo: `<vdp.${reportId}.receipt@localhost>`,
      },
    );
    expect(reply.outcome?.kind).toBe('report');
    expect(reply.outcome?.reportId).not.toBe(reportId);

    // researcher.test (no DMARC record) lets 127.0.0.1 send for it: SPF passes for the From domain.
    const ok = unique('carol', 'researcher.test');
    const mine = await deliverWith({}, { from: ok, subject: 'CSRF on logout', text: 'No token.' });
    const threaded = await deliverWith(
      {},
      {
        from: ok,
        subject: 'Re: CSRF on logout',
        text: 'More details.',
        inReplyTo: `<vdp.${mine.outcome?.reportId}.receipt@localhost>`,
      },
    );
    expect(threaded.outcome).toEqual({ kind: 'reply', reportId: mine.outcome?.reportId });
  });

  it('over IMAP, trusts DKIM only: SPF and trace headers in the message count for nothing', async () => {
    const from = unique('dave', 'researcher.test');
    // Looks like mail our listener accepted from an address researcher.test's SPF allows.
    const raw = [
      `Return-Path: <${from}>`,
      'Received: from mx.researcher.test ([127.0.0.1]) by localhost with ESMTP; Mon, 7 Dec 2026 12:00:00 +0000',
      `From: ${from}`,
      `To: ${SECURITY_ADDRESS}`,
      'Subject: Re: something',
      `Message-ID: ${newMessageId()}`,
      '',
      'Body.',
      '',
    ].join('\r\n');
    const mta = 'localhost';
    expect((await authenticateSender(Buffer.from(raw), 'smtp', mta)).verified).toBe(true);
    const imap = await authenticateSender(Buffer.from(raw), 'imap', mta);
    expect(imap).toMatchObject({ verified: false, summary: expect.stringContaining('spf=not checked') });
    // A forged Authentication-Results header is ignored too.
    const claimed = `Authentication-Results: imap.example.test; dmarc=pass header.from=signed.test\r\n${raw}`;
    expect((await authenticateSender(Buffer.from(claimed), 'imap', mta)).verified).toBe(false);
    // Signed by the From domain, it is verified over IMAP as well.
    const signed = await signRaw(raw, RESEARCHER_DKIM);
    expect(await authenticateSender(Buffer.from(signed), 'imap', mta)).toMatchObject({
      verified: true,
      method: 'dkim',
      fromDomain: 'researcher.test',
    });
  });
});
