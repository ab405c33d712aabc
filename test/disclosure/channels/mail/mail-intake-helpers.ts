import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import * as openpgp from 'openpgp';
import type { AppContext } from '../../../../src/core/context.ts';
import { systemActor } from '../../../../src/core/http/actor.ts';
import { openMail } from '../../../../src/core/mail/mail.jobs.ts';
import { setMailAuthResolver } from '../../../../src/disclosure/channels/mail/mail-intake.auth.ts';
import { processInboundMail } from '../../../../src/disclosure/channels/mail/mail-intake.process.ts';
import { generateProgramKey, getActiveProgramKey } from '../../../../src/disclosure/program/program.keys.ts';
import { listMessages, type MessageView } from '../../../../src/disclosure/reports/messages.service.ts';
import {
  openReportContent,
  openReporter,
  type ReportContent,
} from '../../../../src/disclosure/reports/reports.sealing.ts';
import { findReportById, type ReportRow } from '../../../../src/disclosure/reports/reports.store.ts';
import { disclosureInboundMail } from '../../../../src/disclosure/tables.ts';
import { FakeDns, publishDkimKey } from './mail-auth-helpers.ts';

export const SECURITY_ADDRESS = 'security@example.test';

/**
 * Sender authentication in every mail intake test checks records served from memory, never the network:
 * researcher.test lets 127.0.0.1 send for it (SPF) and signs with RESEARCHER_DKIM; it publishes no DMARC
 * record. Tests add the records they need to `testDns`.
 */
export const testDns = new FakeDns().txt('researcher.test', 'v=spf1 ip4:127.0.0.1 -all');
export const RESEARCHER_DKIM = publishDkimKey(testDns, 'researcher.test');
setMailAuthResolver(testDns.resolve);

/** A unique sender address, so every test's reporter is its own. */
export function researcherAddress(name = 'researcher'): string {
  return `${name}-${randomBytes(4).toString('hex')}@researcher.test`;
}

/** A unique Message-ID in the sender's domain. */
export function newMessageId(): string {
  return `<${randomBytes(8).toString('hex')}@researcher.test>`;
}

/** Sends one message to a listener on 127.0.0.1 as a mail server or client would. */
export async function sendTo(
  port: number,
  message: SendMailOptions,
  options: Partial<SMTPTransport.Options> = {},
): Promise<SMTPTransport.SentMessageInfo> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    ...options,
  } as SMTPTransport.Options);
  try {
    return await transport.sendMail({ to: SECURITY_ADDRESS, ...message });
  } finally {
    transport.close();
  }
}

export async function inboundRows(ctx: AppContext, messageId: string) {
  return ctx.database.db
    .select()
    .from(disclosureInboundMail)
    .where(eq(disclosureInboundMail.messageId, messageId));
}

export type OpenedReport = {
  row: ReportRow;
  content: ReportContent;
  reporter: { name?: string; email?: string };
  messages: MessageView[];
};

export async function openReport(ctx: AppContext, reportId: string): Promise<OpenedReport> {
  const row = await findReportById(ctx.database.db, reportId);
  if (!row) throw new Error(`report ${reportId} not found`);
  return {
    row,
    content: openReportContent(ctx.keyring, row.id, row.contentSealed),
    reporter: openReporter(ctx.keyring, row.id, row.reporterSealed),
    messages: await listMessages(ctx, ctx.database.db, row.id, 'team'),
  };
}

/** The program's encryption key, generated once per app. */
export async function programPublicKey(ctx: AppContext): Promise<openpgp.PublicKey> {
  let key = await getActiveProgramKey(ctx);
  if (!key) {
    await generateProgramKey(ctx, systemActor('test'), {
      name: 'Example Security',
      email: SECURITY_ADDRESS,
      expiresInDays: null,
    });
    key = await getActiveProgramKey(ctx);
  }
  if (!key) throw new Error('no program key');
  return openpgp.readKey({ armoredKey: key.publicKey });
}

/** Armored OpenPGP message of `text`, encrypted to `key`. */
export async function encryptTo(key: openpgp.PublicKey, text: string): Promise<string> {
  return (await openpgp.encrypt({
    message: await openpgp.createMessage({ text }),
    encryptionKeys: key,
  })) as string;
}

/**
 * A PGP/MIME message (RFC 3156) as Thunderbird sends it: the real subject and body inside the
 * encrypted part (protected headers), "..." outside.
 */
export async function pgpMimeMessage(
  key: openpgp.PublicKey,
  options: { from: string; messageId: string; subject: string; body: string; language?: string },
): Promise<string> {
  const inner = [
    'Content-Type: multipart/mixed; boundary="inner"; protected-headers="v1"',
    `Subject: ${options.subject}`,
    ...(options.language ? [`Content-Language: ${options.language}`] : []),
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    options.body,
    '--inner',
    'Content-Type: text/plain; charset=utf-8; name="poc.txt"',
    'Content-Disposition: attachment; filename="poc.txt"',
    '',
    'curl https://app.example.test/search?q=%27',
    '--inner--',
    '',
  ].join('\r\n');
  const armored = await encryptTo(key, inner);
  return [
    `From: Researcher <${options.from}>`,
    `To: ${SECURITY_ADDRESS}`,
    'Subject: ...',
    `Message-ID: ${options.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"',
    '',
    'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
    '--outer',
    'Content-Type: application/pgp-encrypted',
    'Content-Description: PGP/MIME version identification',
    '',
    'Version: 1',
    '',
    '--outer',
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    'Content-Description: OpenPGP encrypted message',
    'Content-Disposition: inline; filename="encrypted.asc"',
    '',
    armored.replace(/\r?\n/g, '\r\n'),
    '--outer--',
    '',
  ].join('\r\n');
}

/** Mail queued to `to` with its headers (the mail job's payload). */
export async function queuedMailsWithHeaders(ctx: AppContext, to: string) {
  const { rows } = await ctx.database.executeSql(
    "select data from pgboss.job where name = 'core.mail-send' order by created_on, id",
    [],
  );
  type Queued = { to: string; subject: string; text: string; headers?: Record<string, string> };
  return (rows as { data: { sealed: string } }[])
    .map((row) => openMail(ctx.keyring, row.data) as Queued)
    .filter((mail) => mail.to === to);
}

/** Sends, then processes the stored message as the job would; returns the outcome. */
export async function deliver(
  ctx: AppContext,
  port: number,
  message: Parameters<typeof sendTo>[1],
  options: Parameters<typeof sendTo>[2] = {},
) {
  const messageId = (message.messageId as string | undefined) ?? newMessageId();
  await sendTo(port, { ...message, messageId }, options);
  const [row] = await inboundRows(ctx, messageId);
  if (!row) throw new Error(`message ${messageId} was not stored`);
  return { messageId, row, outcome: await processInboundMail(ctx, row.id) };
}

/** The same app with other e-mail intake settings (a second listener on another free port). */
export function withMail(
  ctx: AppContext,
  change: Partial<AppContext['config']['disclosureMail']> & { tls?: { certFile: string; keyFile: string } },
): AppContext {
  const mail = ctx.config.disclosureMail;
  const { tls, ...rest } = change;
  return {
    ...ctx,
    config: {
      ...ctx.config,
      disclosureMail: {
        ...mail,
        ...rest,
        smtp: { port: 0, host: '127.0.0.1', tls: tls ?? mail.smtp?.tls },
      },
    },
  };
}
