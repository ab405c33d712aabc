import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../../../core/context.ts';
import type { InboundJob } from './mail-intake.store.ts';
import { storeInboundMail } from './mail-intake.store.ts';
import { formatSmtpTrace } from './mail-intake.trace.ts';

/**
 * The built-in SMTP listener: accepts mail for the program's address only, stores each message (sealed,
 * with its processing job) and answers 250 only after that transaction committed. A storage failure
 * answers 451, so the sending server keeps the message and tries again: nothing accepted is lost.
 */

export type SmtpListener = { port: number; close(): Promise<void> };
export type IntakeEvents = {
  stored(source: 'smtp' | 'imap', created: boolean): void;
  failed(source: string, error: Error): void;
};

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** `security+anything@example.com` is still the program's mailbox (plus addressing). */
function baseAddress(address: string): string {
  const [local = '', domain = ''] = address.toLowerCase().split(/@(?=[^@]*$)/);
  return `${local.split('+')[0]}@${domain}`;
}

export async function startSmtpListener(
  ctx: AppContext,
  job: InboundJob,
  events: IntakeEvents,
): Promise<SmtpListener> {
  const { smtp, address, maxBytes } = ctx.config.disclosureMail;
  if (!smtp || !address)
    throw new Error('the SMTP listener needs DISCLOSURE_SMTP_PORT and DISCLOSURE_MAIL_ADDRESS');
  const serverName = new URL(ctx.config.publicUrl).hostname || 'attest';
  const tls = smtp.tls
    ? { key: readFileSync(smtp.tls.keyFile), cert: readFileSync(smtp.tls.certFile) }
    : undefined;

  const server = new SMTPServer({
    name: serverName,
    banner: 'Attest vulnerability disclosure intake',
    secure: false,
    ...(tls ?? {}),
    // STARTTLS only with a configured certificate (smtp-server would otherwise offer its built-in one).
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: maxBytes,
    disableReverseLookup: true,
    maxClients: 50,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(recipient, _session, callback) {
      if (baseAddress(recipient.address) === baseAddress(address)) return callback();
      callback(smtpError(550, `5.1.1 <${recipient.address}>: no such mailbox here`));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) {
          callback(smtpError(552, `5.3.4 message exceeds the maximum size of ${maxBytes} bytes`));
          return;
        }
        const raw = Buffer.concat([Buffer.from(formatSmtpTrace(session, serverName)), ...chunks]);
        storeInboundMail(ctx, job, 'smtp', raw).then(
          ({ row, created }) => {
            events.stored('smtp', created);
            callback(null, `2.0.0 OK: stored as ${row.id}`);
          },
          (error: Error) => {
            events.failed('smtp', error);
            callback(smtpError(451, '4.3.0 temporary failure storing the message, try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) => events.failed('smtp', error));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(smtp.port, smtp.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
