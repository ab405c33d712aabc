import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAIL_INTAKE_JOB,
  processInboundMail,
} from '../../../../src/disclosure/channels/mail/mail-intake.process.ts';
import { openInboundRaw } from '../../../../src/disclosure/channels/mail/mail-intake.store.ts';
import { type MailIntake, startMailIntake } from '../../../../src/disclosure/channels/mail/mail-intake.ts';
import { disclosureReports } from '../../../../src/disclosure/tables.ts';
import { loginAs } from '../../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../../helpers/app.ts';
import {
  deliver,
  encryptTo,
  inboundRows,
  newMessageId,
  openReport,
  pgpMimeMessage,
  programPublicKey,
  queuedMailsWithHeaders,
  researcherAddress,
  SECURITY_ADDRESS,
  sendTo,
  withMail,
} from './mail-intake-helpers.ts';

const MAIL_ENV = { DISCLOSURE_SMTP_PORT: '0', DISCLOSURE_MAIL_ADDRESS: SECURITY_ADDRESS };

describe('e-mail intake over the built-in SMTP listener', () => {
  let t: TestApp;
  let intake: MailIntake;
  let port: number;

  beforeAll(async () => {
    t = await buildTestApp({ env: MAIL_ENV });
    intake = await startMailIntake(t.ctx);
    port = intake.smtpPort as number;
  });
  afterAll(async () => {
    await intake?.close();
    await t?.close();
  });

  it('stores the message before answering 250: the row and its processing job exist when send() resolves', async () => {
    const messageId = newMessageId();
    const info = await sendTo(port, {
      from: researcherAddress(),
      subject: 'XSS in the profile page',
      text: 'The display name is not escaped.',
      messageId,
    });
    expect(info.response).toMatch(/^250 .*stored as [0-9a-f-]{36}/);
    const [row] = await inboundRows(t.ctx, messageId);
    expect(row).toMatchObject({ source: 'smtp', processedAt: null });
    // Sealed: the raw text is not readable in the database.
    expect(row?.rawSealed).not.toContain('display name');
    const { rows } = await t.ctx.database.executeSql(
      'select data from pgboss.job where name = $1 and data->>$2 = $3',
      [MAIL_INTAKE_JOB, 'inboundId', row?.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('answers 451 and keeps nothing when the message cannot be stored, so the sender retries', async () => {
    // A constraint that refuses every SMTP row stands in for a database failure.
    await t.ctx.database.db.execute(
      sql.raw(
        "alter table disclosure_inbound_mail add constraint refuse_for_test check (source <> 'smtp') not valid",
      ),
    );
    const messageId = newMessageId();
    try {
      await expect(
        sendTo(port, { from: researcherAddress(), subject: 'Lost?', text: 'No.', messageId }),
      ).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await t.ctx.database.db.execute(
        sql.raw('alter table disclosure_inbound_mail drop constraint refuse_for_test'),
      );
    }
    expect(await inboundRows(t.ctx, messageId)).toHaveLength(0);
  });

  it('makes a new report, and queues the receipt in the language of Content-Language, threaded to the e-mail', async () => {
    const from = researcherAddress('chercheuse');
    const { messageId, outcome, row } = await deliver(t.ctx, port, {
      from: `Camille Dupont <${from}>`,
      subject: 'Injection SQL dans la recherche',
      text: 'Le paramètre q de /search est injectable.',
      headers: { 'Content-Language': 'fr' },
    });
    expect(outcome?.kind).toBe('report');
    const report = await openReport(t.ctx, outcome?.reportId as string);
    expect(report.row).toMatchObject({ channel: 'email', sourceRef: messageId, locale: 'fr' });
    expect(report.content.title).toBe('Injection SQL dans la recherche');
    expect(report.content.description).toContain('Le paramètre q de /search est injectable.');
    expect(report.reporter).toEqual({ name: 'Camille Dupont', email: from });
    const [stored] = await inboundRows(t.ctx, messageId);
    expect(stored).toMatchObject({ reportId: report.row.id, error: null });
    expect(stored?.processedAt).toBeInstanceOf(Date);
    expect(row.id).toBe(stored?.id);

    const [receipt] = await queuedMailsWithHeaders(t.ctx, from);
    expect(receipt?.subject).toContain('Nous avons reçu votre rapport de sécurité');
    expect(receipt?.headers).toMatchObject({
      'Message-ID': `<vdp.${report.row.id}.receipt@localhost>`,
      'In-Reply-To': messageId,
      References: messageId,
    });

    // Processing again (a retried job) changes nothing.
    expect(await processInboundMail(t.ctx, stored?.id as string)).toBeUndefined();
    expect(await queuedMailsWithHeaders(t.ctx, from)).toHaveLength(1);
  });

  it('guesses Spanish from the text when the mail has no Content-Language', async () => {
    const from = researcherAddress('investigadora');
    const { outcome } = await deliver(t.ctx, port, {
      from,
      subject: 'Fallo de autorización en la API',
      text: 'Hola, he encontrado que el endpoint de pedidos devuelve los pedidos de otros usuarios. Es posible leer los datos de cualquier cliente con una petición para el identificador del pedido.',
    });
    const report = await openReport(t.ctx, outcome?.reportId as string);
    expect(report.row.locale).toBe('es');
    const [receipt] = await queuedMailsWithHeaders(t.ctx, from);
    expect(receipt?.subject).toContain('Hemos recibido su informe de seguridad');
  });

  it('threads a reply to our receipt into the report, and a stranger quoting the same Message-ID gets a report of their own', async () => {
    const from = researcherAddress();
    const first = await deliver(t.ctx, port, {
      from,
      subject: 'Open redirect',
      text: 'The next parameter of /login redirects anywhere.',
    });
    const reportId = first.outcome?.reportId as string;
    const receiptId = `<vdp.${reportId}.receipt@localhost>`;

    const reply = await deliver(t.ctx, port, {
      from: from.toUpperCase(),
      subject: 'Re: Open redirect',
      text: 'Here is a video of the redirect.',
      inReplyTo: receiptId,
      references: [first.messageId, receiptId],
      attachments: [{ filename: 'poc.mp4', content: Buffer.from('not really a video') }],
    });
    expect(reply.outcome).toEqual({ kind: 'reply', reportId });
    const report = await openReport(t.ctx, reportId);
    const researcherMessages = report.messages.filter((m) => m.kind === 'researcher');
    expect(researcherMessages.map((m) => m.body)).toEqual([
      expect.stringContaining('a video of the redirect'),
    ]);

    // A reply to the researcher's own first mail (no Message-ID of ours) threads too.
    const second = await deliver(t.ctx, port, {
      from,
      subject: 'Re: Open redirect',
      text: 'Also on /logout.',
      inReplyTo: first.messageId,
    });
    expect(second.outcome).toEqual({ kind: 'reply', reportId });

    const stranger = await deliver(t.ctx, port, {
      from: researcherAddress('stranger'),
      subject: 'Re: Open redirect',
      text: 'Injected text that must not appear in the report.',
      inReplyTo: receiptId,
      references: receiptId,
    });
    expect(stranger.outcome?.kind).toBe('report');
    expect(stranger.outcome?.reportId).not.toBe(reportId);
    const after = await openReport(t.ctx, reportId);
    expect(after.messages.map((m) => m.body).join('\n')).not.toContain('Injected text');
  });

  it('decrypts a PGP/MIME message encrypted to the program key, with its protected subject and files', async () => {
    const key = await programPublicKey(t.ctx);
    const from = researcherAddress();
    const messageId = newMessageId();
    const raw = await pgpMimeMessage(key, {
      from,
      messageId,
      subject: 'Injection SQL chiffrée',
      body: 'Le paramètre q est injectable : une apostrophe suffit.',
      language: 'fr',
    });
    await sendTo(port, { envelope: { from, to: [SECURITY_ADDRESS] }, raw });
    const [row] = await inboundRows(t.ctx, messageId);
    const outcome = await processInboundMail(t.ctx, row?.id as string);
    expect(outcome?.kind).toBe('report');
    const report = await openReport(t.ctx, outcome?.reportId as string);
    expect(report.content.title).toBe('Injection SQL chiffrée');
    expect(report.content.description).toContain('une apostrophe suffit');
    expect(report.row.locale).toBe('fr');
    const { rows } = await t.ctx.database.executeSql(
      'select content_type from disclosure_attachments where report_id = $1',
      [report.row.id],
    );
    expect(rows).toEqual([{ content_type: 'text/plain' }]);
  });

  it('decrypts inline PGP blocks in the text', async () => {
    const key = await programPublicKey(t.ctx);
    const armored = await encryptTo(key, 'The admin panel at /admin has no authentication.');
    const { outcome } = await deliver(t.ctx, port, {
      from: researcherAddress(),
      subject: 'Encrypted report',
      text: `Hello,\n\n${armored}\n\nRegards`,
    });
    const report = await openReport(t.ctx, outcome?.reportId as string);
    expect(report.content.description).toContain('The admin panel at /admin has no authentication.');
    expect(report.content.description).not.toContain('BEGIN PGP MESSAGE');
  });

  it('keeps mail that cannot be decrypted as a report with the encrypted part attached and a note', async () => {
    const { publicKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'someone-else@example.test' }],
      format: 'object',
    });
    const armored = await encryptTo(publicKey, 'secret for someone else');
    const { outcome } = await deliver(t.ctx, port, {
      from: researcherAddress(),
      subject: 'Wrong key',
      text: armored,
    });
    const report = await openReport(t.ctx, outcome?.reportId as string);
    expect(report.messages.find((m) => m.kind === 'system')?.body).toContain('could not be decrypted');
    const { rows } = await t.ctx.database.executeSql(
      'select content_type from disclosure_attachments where report_id = $1',
      [report.row.id],
    );
    expect(rows).toEqual([{ content_type: 'application/pgp-encrypted' }]);
  });

  it('keeps at most 10 attachments and says which were left out', async () => {
    const files = Array.from({ length: 11 }, (_, i) => ({
      filename: `shot-${i + 1}.png`,
      content: `png ${i}`,
    }));
    const { outcome } = await deliver(t.ctx, port, {
      from: researcherAddress(),
      subject: 'Many screenshots',
      text: 'See attached.',
      attachments: files,
    });
    const report = await openReport(t.ctx, outcome?.reportId as string);
    const { rows } = await t.ctx.database.executeSql(
      'select count(*)::int as n from disclosure_attachments where report_id = $1',
      [report.row.id],
    );
    expect(rows).toEqual([{ n: 10 }]);
    expect(report.messages.find((m) => m.kind === 'system')?.body).toContain('shot-11.png');
  });

  it('stores but does not process auto-replies and mail from its own address', async () => {
    const before = await t.ctx.database.db.$count(disclosureReports);
    const auto = await deliver(t.ctx, port, {
      from: researcherAddress(),
      subject: 'Out of office',
      text: 'I am away.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(auto.outcome).toEqual({ kind: 'ignored', reason: 'Auto-Submitted: auto-replied' });
    const loop = await deliver(t.ctx, port, { from: SECURITY_ADDRESS, subject: 'Loop', text: 'Loop.' });
    expect(loop.outcome?.kind).toBe('ignored');
    const [row] = await inboundRows(t.ctx, loop.messageId);
    expect(row?.error).toContain('loop');
    expect(row?.processedAt).toBeInstanceOf(Date);
    expect(await t.ctx.database.db.$count(disclosureReports)).toBe(before);
  });

  it('stores a re-delivered message once and makes one report of it', async () => {
    const messageId = newMessageId();
    const mail = { from: researcherAddress(), subject: 'Twice', text: 'Sent twice.', messageId };
    await sendTo(port, mail);
    await sendTo(port, mail);
    const rows = await inboundRows(t.ctx, messageId);
    expect(rows).toHaveLength(1);
    await processInboundMail(t.ctx, rows[0]?.id as string);
    const reports = await t.ctx.database.db
      .select()
      .from(disclosureReports)
      .where(eq(disclosureReports.sourceRef, messageId));
    expect(reports).toHaveLength(1);
  });

  it('refuses other recipients with 550', async () => {
    await expect(
      sendTo(port, { from: researcherAddress(), to: 'ceo@example.test', subject: 'Hi', text: 'Hi' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    // Plus addressing still reaches the program's mailbox.
    const info = await sendTo(port, {
      from: researcherAddress(),
      to: 'security+bugs@example.test',
      subject: 'Plus',
      text: 'Plus addressing.',
    });
    expect(info.accepted).toEqual(['security+bugs@example.test']);
  });

  it('refuses a message over the size limit with 552 and stores nothing of it', async () => {
    const small = await startMailIntake(withMail(t.ctx, { maxBytes: 64 * 1024 }));
    const messageId = newMessageId();
    try {
      await expect(
        sendTo(small.smtpPort as number, {
          from: researcherAddress(),
          subject: 'Huge',
          text: 'x'.repeat(200 * 1024),
          messageId,
        }),
      ).rejects.toMatchObject({ responseCode: 552 });
    } finally {
      await small.close();
    }
    expect(await inboundRows(t.ctx, messageId)).toHaveLength(0);
  });

  it('offers STARTTLS with the configured certificate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'attest-smtp-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const tls = { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') };
      const secure = await startMailIntake(withMail(t.ctx, { tls }));
      const messageId = newMessageId();
      try {
        const info = await sendTo(
          secure.smtpPort as number,
          { from: researcherAddress(), subject: 'Over TLS', text: 'Encrypted in transit.', messageId },
          // The client verifies the certificate, and refuses to go on without TLS.
          {
            ignoreTLS: false,
            requireTLS: true,
            tls: { ca: readFileSync(tls.certFile), servername: 'localhost' },
          },
        );
        expect(info.response).toMatch(/^250 /);
      } finally {
        await secure.close();
      }
      const [row] = await inboundRows(t.ctx, messageId);
      if (!row) throw new Error('not stored');
      expect(openInboundRaw(t.ctx, row).toString()).toMatch(
        /^Return-Path: <[^>]+>\r\nReceived: from .* with ESMTPS;/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the intake status to the security team only', async () => {
    const security = await loginAs(t.app, t.ctx, 'security');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/disclosure/mail-intake/status',
      headers: security.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      smtp: { configured: true, listening: true, port, address: SECURITY_ADDRESS, starttls: false },
      imap: { configured: false },
    });
    expect(res.json().pending).toBeGreaterThanOrEqual(1);
    const employee = await loginAs(t.app, t.ctx, 'employee');
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/disclosure/mail-intake/status',
      headers: employee.headers,
    });
    expect(denied.statusCode).toBe(403);
  });
});
