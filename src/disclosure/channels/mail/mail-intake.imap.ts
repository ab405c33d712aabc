import { ImapFlow } from 'imapflow';
import type { AppContext } from '../../../core/context.ts';
import type { IntakeEvents } from './mail-intake.smtp.ts';
import { type InboundJob, storeInboundMail } from './mail-intake.store.ts';

/**
 * Polls an existing mailbox over IMAP: every unread message is fetched without marking it (BODY.PEEK),
 * stored with its processing job, and only then flagged \Seen. A crash between the two leaves the
 * message unread, so the next poll fetches it again, and the stored copy makes that a no-op.
 */

export type ImapTarget = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
};

/** `imaps://user:password@host:993/Folder` → its parts (port 993/143 by scheme, folder INBOX). */
export function parseImapUrl(value: string): ImapTarget {
  const url = new URL(value);
  const secure = url.protocol === 'imaps:';
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox,
  };
}

/** The URL as it may be shown (status, logs): the password replaced. */
export function describeImapTarget(target: ImapTarget): string {
  const scheme = target.secure ? 'imaps' : 'imap';
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${scheme}://${encodeURIComponent(target.user)}:***@${host}:${target.port}/${target.mailbox}`;
}

export type PollResult = { stored: number; alreadyStored: number; tooLarge: number };

/** One poll: connect, store and flag every unread message, log out. Throws when the server fails. */
export async function pollMailbox(
  ctx: AppContext,
  job: InboundJob,
  target: ImapTarget,
  events: IntakeEvents,
): Promise<PollResult> {
  const { maxBytes } = ctx.config.disclosureMail;
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: { user: target.user, pass: target.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  // A dropped connection emits 'error'; the pending command rejects, which is what we report.
  client.on('error', () => {});
  const result: PollResult = { stored: 0, alreadyStored: 0, tooLarge: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(target.mailbox);
    try {
      const unread = (await client.search({ seen: false }, { uid: true })) || [];
      for (const uid of unread) {
        const meta = await client.fetchOne(String(uid), { size: true }, { uid: true });
        if (!meta || (meta.size ?? 0) > maxBytes) {
          // Left unread for a person to see: flagging it \Seen would hide a report nobody stored.
          result.tooLarge += 1;
          continue;
        }
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        const source = message ? message.source : undefined;
        if (!source) continue;
        const { created } = await storeInboundMail(ctx, job, 'imap', source);
        events.stored('imap', created);
        if (created) result.stored += 1;
        else result.alreadyStored += 1;
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

export type ImapPoller = {
  target: string;
  /** Polls now (waits for a poll already running instead of starting a second one). */
  pollNow(): Promise<PollResult | undefined>;
  close(): Promise<void>;
};

/** Polls at start and then every `pollSeconds`; failures are reported and the next poll tries again. */
export function startImapPoller(
  ctx: AppContext,
  job: InboundJob,
  events: IntakeEvents & { polled(result: PollResult): void },
): ImapPoller {
  const imap = ctx.config.disclosureMail.imap;
  if (!imap) throw new Error('the IMAP poller needs DISCLOSURE_IMAP_URL');
  const target = parseImapUrl(imap.url);
  let running: Promise<PollResult | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const poll = (): Promise<PollResult | undefined> => {
    running ??= pollMailbox(ctx, job, target, events)
      .then(
        (result) => {
          events.polled(result);
          return result;
        },
        (error: Error) => {
          events.failed('imap', error);
          return undefined;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void poll().then(schedule), imap.pollSeconds * 1000);
    timer.unref();
  };
  void poll().then(schedule);

  return {
    target: describeImapTarget(target),
    pollNow: poll,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
