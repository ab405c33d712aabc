import { z } from 'zod';
import type { Queryable } from '../db/index.ts';
import type { Locale } from '../i18n/index.ts';
import type { JobDefinition, Jobs } from '../jobs/index.ts';
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

export const MAIL_SEND_JOB = 'core.mail-send';

/** Sends one rendered message; pg-boss retries with backoff when the SMTP server is down. */
export function mailSendJob(mailer: Mailer): JobDefinition<typeof RenderedMailPayload> {
  return {
    name: MAIL_SEND_JOB,
    payload: RenderedMailPayload,
    retryLimit: 8,
    handle: async (mail) => {
      await mailer.send(mail);
    },
  };
}

/**
 * Renders a localized template now and queues it for sending. Pass the transaction that made the
 * change the mail is about: the mail leaves only if that change commits.
 */
export async function queueMail<T extends MailTemplate>(
  deps: { jobs: Jobs; mailer: Mailer },
  q: Queryable,
  mail: { to: string; template: T; locale: Locale; vars: MailTemplateVars[T] } & MailExtras,
): Promise<void> {
  const rendered = renderMail(mail.template, mail.locale, mail.vars);
  const extras: MailExtras = {
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
  };
  await deps.jobs.send(mailSendJob(deps.mailer), { to: mail.to, ...rendered, ...extras }, { tx: q });
}
