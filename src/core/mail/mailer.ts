import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type { Keyring } from '../crypto/index.ts';
import { newOutboxId, writeOutboxItem } from './outbox.ts';

/** A file sent with a message, its bytes as base64 (so it fits a JSON job payload). */
export type MailAttachment = { filename: string; contentType: string; contentBase64: string };

/** A message to send. `to` may be a single address or a comma-separated list. */
export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
};

export type Mailer = {
  /** `smtp` delivers; `outbox` stores messages on disk because no SMTP server is configured. */
  mode: 'smtp' | 'outbox';
  /**
   * Sends (or stores) a message. Resolves with its Message-ID once the SMTP server accepted it
   * or the outbox files are written; rejects with nodemailer's or the file system's error.
   */
  send(message: OutgoingMail): Promise<{ messageId: string }>;
  /** Checks the SMTP connection and login, or that the outbox directory is writable. */
  verify(): Promise<void>;
  /** Releases SMTP connections; the mailer must not be used afterwards. */
  close(): void;
};

export type MailerOptions = {
  /** `smtp://` or `smtps://` (implicit TLS), credentials as URL userinfo; empty or absent → outbox. */
  smtpUrl?: string;
  /** From header for every message, e.g. `Attest <attest@example.com>`. */
  from: string;
  /** Where outbox mode stores messages (`<id>.eml` + `<id>.json`). */
  outboxDir: string;
  /** Seals the outbox files: they hold one-time links and addresses. */
  keyring: Keyring;
};

// Nodemailer can inline files and fetch URLs named in message content; we never need that,
// and it would turn a mistake upstream into reading local files or SSRF.
const NO_LOCAL_CONTENT = { disableFileAccess: true, disableUrlAccess: true };

// Fail fast rather than hold a request or job for nodemailer's two-minute defaults.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

// A few kept-open connections: each message skips the connect, EHLO, STARTTLS and AUTH round trips,
// and messages sent together go out in parallel. Connections are recycled after `maxMessages`.
const SMTP_POOL = { pool: true, maxConnections: 4, maxMessages: 100 } as const;

/**
 * Creates the mailer: SMTP when `smtpUrl` is set, otherwise an on-disk outbox so a default
 * installation works without mail infrastructure (an admin can read messages there).
 *
 * Throws TypeError if `smtpUrl` is not a valid smtp:// or smtps:// URL; the message never
 * repeats the URL, since it may contain a password.
 */
export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? createSmtpMailer(options.smtpUrl, options.from) : createOutboxMailer(options);
}

function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  assertSmtpUrl(smtpUrl);
  // Nodemailer parses the URL itself (percent-decoded credentials, smtps → implicit TLS, and
  // query options such as ?tls.rejectUnauthorized=false for internal relays).
  const transport = nodemailer.createTransport(
    { url: smtpUrl, ...SMTP_POOL, ...SMTP_TIMEOUTS, ...NO_LOCAL_CONTENT },
    { from },
  );
  return {
    mode: 'smtp',
    async send(message) {
      const info = await transport.sendMail(toNodemailer(message));
      return { messageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}

function createOutboxMailer({ from, outboxDir, keyring }: MailerOptions): Mailer {
  // Same MIME composition as SMTP mode, so the stored .eml is exactly what would be sent.
  const transport = nodemailer.createTransport(
    { streamTransport: true, buffer: true, ...NO_LOCAL_CONTENT },
    { from },
  );
  return {
    mode: 'outbox',
    async send(message) {
      const info = await transport.sendMail(toNodemailer(message));
      const id = newOutboxId();
      await writeOutboxItem(
        outboxDir,
        keyring,
        {
          id,
          messageId: info.messageId,
          to: message.to,
          subject: message.subject,
          createdAt: new Date().toISOString(),
          text: message.text,
        },
        info.message as Buffer,
      );
      return { messageId: info.messageId };
    },
    async verify() {
      await mkdir(outboxDir, { recursive: true });
      await access(outboxDir, constants.W_OK);
    },
    close() {
      transport.close();
    },
  };
}

// Only the documented fields reach nodemailer, whatever else the object carries at runtime.
function toNodemailer({ to, subject, text, html, headers, attachments }: OutgoingMail) {
  // Nodemailer sets these three itself; given as plain headers they would be replaced or doubled.
  const {
    'Message-ID': messageId,
    'In-Reply-To': inReplyTo,
    References: references,
    ...rest
  } = headers ?? {};
  return {
    to,
    subject,
    text,
    html,
    headers: rest,
    ...(messageId ? { messageId } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references ? { references } : {}),
    // Bytes only: never a path or URL nodemailer would resolve itself.
    attachments: attachments?.map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      content: Buffer.from(file.contentBase64, 'base64'),
    })),
  };
}

function assertSmtpUrl(smtpUrl: string): void {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new TypeError('SMTP_URL is not a valid URL (expected smtp://user:pass@host:port or smtps://…)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new TypeError(`SMTP_URL must start with smtp:// or smtps:// (got ${url.protocol}//)`);
  }
  if (url.hostname === '') throw new TypeError('SMTP_URL has no host');
}
