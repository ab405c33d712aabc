import { z } from 'zod';
import type { Config } from '../config/config.ts';
import { decryptString, encrypt, type Keyring } from '../crypto/index.ts';
import type { Database, Queryable } from '../db/index.ts';
import type { Actor } from '../http/actor.ts';
import type { Locale } from '../i18n/index.ts';
import type { JobDefinition, Jobs } from '../jobs/index.ts';
import { type MailClass, mailClassOf, priorityOf } from './mail.classes.ts';
import { allowAnonymousMail } from './mail.quota.ts';
import type { Mailer } from './mailer.ts';
import { type MailTemplate, type MailTemplateVars, renderMail } from './templates.ts';

/** At most 2 MiB of attachment bytes per file (as base64, 4/3 of that), three files per message. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

const Attachment = z.strictObject({
  // A plain file name: no path separators or control characters reach the MIME headers.
  filename: z
    .string()
    .min(1)
    .max(200)
    .refine((name) => !/[/\\]/.test(name) && ![...name].some((char) => char.charCodeAt(0) < 32), {
      error: 'a file name without path separators or control characters',
    }),
  contentType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'a MIME type'),
  contentBase64: z
    .string()
    .max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
});

/** `<local@domain>`, nothing that could break the header line. */
const MessageId = z
  .string()
  .max(500)
  .regex(/^<[^<>\s]+>$/, 'a Message-ID in angle brackets');

const RenderedMailPayload = z.strictObject({
  to: z.string().min(3).max(500),
  subject: z.string().min(1).max(500),
  text: z.string().max(100_000),
  html: z.string().max(200_000),
  attachments: z.array(Attachment).max(3).optional(),
  // RFC 8058 one-click unsubscribe for list mail, and RFC 5322 threading; no other header can be set
  // through a job.
  headers: z
    .strictObject({
      'List-Unsubscribe': z.string().max(1000).optional(),
      'List-Unsubscribe-Post': z.literal('List-Unsubscribe=One-Click').optional(),
      'Message-ID': MessageId.optional(),
      'In-Reply-To': MessageId.optional(),
      References: z
        .string()
        .max(2000)
        .regex(/^<[^<>\s]+>(\s+<[^<>\s]+>)*$/, 'Message-IDs separated by spaces')
        .optional(),
    })
    .optional(),
});

export type MailExtras = Pick<z.infer<typeof RenderedMailPayload>, 'attachments' | 'headers'>;
export type RenderedMailMessage = z.infer<typeof RenderedMailPayload>;

export const MAIL_SEND_JOB = 'core.mail-send';

// The message (recipient, one-time links, report titles…) is sealed with the data key before it
// reaches pg-boss's tables, where it stays after sending (completed and archived jobs).
const SEALED_MAIL_AAD = 'core.mail-send:message';

/** The job payload: the sealed message, at most 3 attachments of 2 MiB plus bodies, base64url. */
const SealedMailPayload = z.strictObject({ sealed: z.string().min(1).max(16_000_000) });

/** Seals a rendered message for a mail job (validated first, so a bad message fails at the caller). */
export function sealMail(keyring: Keyring, message: RenderedMailMessage): z.infer<typeof SealedMailPayload> {
  const valid = RenderedMailPayload.parse(message);
  return { sealed: encrypt(keyring, JSON.stringify(valid), SEALED_MAIL_AAD) };
}

/** Opens a mail job's payload; throws DecryptionError or ZodError if it was not sealed by `sealMail`. */
export function openMail(keyring: Keyring, payload: { sealed: string }): RenderedMailMessage {
  return RenderedMailPayload.parse(JSON.parse(decryptString(keyring, payload.sealed, SEALED_MAIL_AAD)));
}

// SMTP errors quote the envelope ("550 5.1.1 <bob@example.com>: user unknown"); pg-boss keeps a failed
// job's error as its output, so addresses are masked before the error leaves the handler.
const ADDRESS = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:]+/g;

/** A delivery error without the addresses it named: what pg-boss stores and admins see. */
export function redactedMailError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown; responseCode?: unknown } | null) ?? {};
  const redacted = new Error(`mail not sent: ${message.replace(ADDRESS, '<address>')}`.slice(0, 1000));
  Object.assign(redacted, {
    ...(typeof code.code === 'string' ? { code: code.code } : {}),
    ...(typeof code.responseCode === 'number' ? { responseCode: code.responseCode } : {}),
  });
  return redacted;
}

/** Sends one sealed message; pg-boss retries with backoff when the SMTP server is down. */
export function mailSendJob(mailer: Mailer, keyring: Keyring): JobDefinition<typeof SealedMailPayload> {
  return {
    name: MAIL_SEND_JOB,
    payload: SealedMailPayload,
    retryLimit: 8,
    handle: async (payload) => {
      const message = openMail(keyring, payload);
      try {
        await mailer.send(message);
      } catch (error) {
        throw redactedMailError(error);
      }
    },
  };
}

/**
 * Seals mail jobs that an older version queued in clear (pending, completed and archived rows), and masks
 * addresses in their stored errors. Runs at start; idempotent, and safe with several processes starting
 * together (a row already sealed is left alone). Returns how many rows were rewritten.
 */
export async function sealLegacyMailJobs(deps: { database: Database; keyring: Keyring }): Promise<number> {
  let rewritten = 0;
  for (const table of ['job', 'archive'] as const) {
    const { rows } = await deps.database.executeSql(
      `select id, data, output from pgboss.${table} where name = $1 and data->>'sealed' is null`,
      [MAIL_SEND_JOB],
    );
    for (const row of rows as { id: string; data: unknown; output: unknown }[]) {
      const parsed = RenderedMailPayload.safeParse(row.data);
      // Whatever the old row holds is sealed; one that is not a valid message still fails when opened.
      const sealed = parsed.success
        ? sealMail(deps.keyring, parsed.data)
        : { sealed: encrypt(deps.keyring, JSON.stringify(row.data), SEALED_MAIL_AAD) };
      const output =
        row.output === null || row.output === undefined
          ? null
          : JSON.stringify(row.output).replace(ADDRESS, '<address>');
      await deps.database.executeSql(
        `update pgboss.${table} set data = $1::jsonb, output = $2::jsonb
          where name = $3 and id = $4 and data->>'sealed' is null`,
        [JSON.stringify(sealed), output, MAIL_SEND_JOB, row.id],
      );
      rewritten += 1;
    }
  }
  return rewritten;
}

export type QueueMailResult = 'queued' | 'capped';

/**
 * Renders a localized template now, seals it and queues it for sending, ahead of or behind other
 * mail by its class (account mail first, then team mail, then bulk). Pass the transaction that
 * made the change the mail is about: the mail leaves only if that change commits.
 *
 * `cause` is who made the change. Mail caused by an anonymous actor is capped per recipient and per
 * client address (see mail.quota.ts): past the cap the mail is dropped, logged and counted, and the
 * caller's change still commits — 'capped' tells the caller, who must answer the same either way.
 */
export async function queueMail<T extends MailTemplate>(
  deps: {
    jobs: Jobs;
    mailer: Mailer;
    keyring: Keyring;
    config: Pick<Config, 'mailAnonymousPerRecipientPerHour' | 'mailAnonymousPerClientPerHour'>;
    warn?: (message: string) => void;
  },
  q: Queryable,
  mail: { to: string; template: T; locale: Locale; vars: MailTemplateVars[T]; cause?: Actor } & MailExtras,
): Promise<QueueMailResult> {
  const mailClass: MailClass = mailClassOf(mail.template);
  if (mail.cause?.type === 'anonymous') {
    const allowed = await allowAnonymousMail(deps, q, { to: mail.to, clientIp: mail.cause.ip });
    if (!allowed.ok) {
      deps.warn?.(
        `mail dropped: ${mail.template} (${mailClass}) caused by an anonymous request, over the ${allowed.limit} cap ` +
          `(${allowed.dropped} dropped this hour)`,
      );
      return 'capped';
    }
  }
  const rendered = renderMail(mail.template, mail.locale, mail.vars);
  const extras: MailExtras = {
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
  };
  await deps.jobs.send(
    mailSendJob(deps.mailer, deps.keyring),
    sealMail(deps.keyring, { to: mail.to, ...rendered, ...extras }),
    { tx: q, priority: priorityOf(mailClass) },
  );
  return 'queued';
}
