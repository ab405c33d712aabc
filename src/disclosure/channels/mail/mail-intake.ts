import type { AppContext } from '../../../core/context.ts';
import {
  describeImapTarget,
  type ImapPoller,
  type PollResult,
  parseImapUrl,
  startImapPoller,
} from './mail-intake.imap.ts';
import { mailIntakeJob } from './mail-intake.process.ts';
import { type IntakeEvents, type SmtpListener, startSmtpListener } from './mail-intake.smtp.ts';
import { countInboundMail, findPendingInboundIds } from './mail-intake.store.ts';

/**
 * Reports by e-mail: starts the SMTP listener and/or the IMAP poller the configuration asks for (see
 * docs/configuration.md), and a sweep that re-enqueues stored messages whose processing job was lost
 * (a process stopped between storing and processing); a job that used its retries stays dead, for admins.
 */

export type MailIntake = {
  /** The listener's port (useful with DISCLOSURE_SMTP_PORT=0), when it runs. */
  smtpPort: number | undefined;
  /** Polls the mailbox now, when polling is configured. */
  pollNow(): Promise<PollResult | undefined>;
  /** Re-enqueues pending messages received more than `olderThanMs` ago; returns how many. */
  sweep(olderThanMs?: number): Promise<number>;
  close(): Promise<void>;
};

type Logger = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

type IntakeState = {
  smtpPort: number | undefined;
  lastPollAt: Date | undefined;
  lastPoll: PollResult | undefined;
  lastError: { at: Date; source: string; message: string } | undefined;
};

const states = new WeakMap<AppContext, IntakeState>();
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const SWEEP_AFTER_MS = 5 * 60 * 1000;

/** Error text safe to show: the IMAP password, should a library ever echo it, is masked. */
function safeMessage(ctx: AppContext, error: Error): string {
  let message = (error.message || String(error)).slice(0, 500);
  const imap = ctx.config.disclosureMail.imap;
  if (imap) {
    const { password } = parseImapUrl(imap.url);
    if (password) message = message.split(password).join('***');
  }
  return message;
}

export async function startMailIntake(ctx: AppContext, log?: Logger): Promise<MailIntake> {
  const config = ctx.config.disclosureMail;
  const state: IntakeState = {
    smtpPort: undefined,
    lastPollAt: undefined,
    lastPoll: undefined,
    lastError: undefined,
  };
  states.set(ctx, state);
  const job = mailIntakeJob(ctx);
  const events: IntakeEvents & { polled(result: PollResult): void } = {
    stored: () => {},
    failed: (source, error) => {
      const message = safeMessage(ctx, error);
      state.lastError = { at: new Date(), source, message };
      log?.error(`disclosure mail intake (${source}): ${message}`);
    },
    polled: (result) => {
      state.lastPollAt = new Date();
      state.lastPoll = result;
      if (result.tooLarge > 0)
        log?.warn(`disclosure mail intake (imap): ${result.tooLarge} message(s) too large, left unread`);
    },
  };

  const sweep = async (olderThanMs = SWEEP_AFTER_MS) => {
    const ids = await findPendingInboundIds(
      ctx.database.db,
      new Date(Date.now() - olderThanMs),
      500,
      job.name,
    );
    for (const inboundId of ids) await ctx.jobs.send(job, { inboundId });
    if (ids.length > 0) log?.info(`disclosure mail intake: re-enqueued ${ids.length} pending message(s)`);
    return ids.length;
  };
  const safeSweep = () => sweep().catch((error: Error) => events.failed('sweep', error));

  let smtp: SmtpListener | undefined;
  let imap: ImapPoller | undefined;
  if (config.smtp) {
    smtp = await startSmtpListener(ctx, job, events);
    state.smtpPort = smtp.port;
    log?.info(
      `disclosure mail intake: SMTP listener on ${config.smtp.host}:${smtp.port} for ${config.address}`,
    );
  }
  if (config.imap) {
    imap = startImapPoller(ctx, job, events);
    log?.info(`disclosure mail intake: polling ${imap.target} every ${config.imap.pollSeconds} s`);
  }
  const sweeper =
    config.smtp || config.imap ? setInterval(() => void safeSweep(), SWEEP_EVERY_MS) : undefined;
  sweeper?.unref();
  if (sweeper) void safeSweep();

  return {
    smtpPort: smtp?.port,
    pollNow: async () => imap?.pollNow(),
    sweep,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([smtp?.close(), imap?.close()]);
      states.delete(ctx);
    },
  };
}

export type MailIntakeStatus = {
  smtp: {
    configured: boolean;
    listening: boolean;
    port: number | null;
    address: string | null;
    starttls: boolean;
  };
  imap: {
    configured: boolean;
    mailbox: string | null;
    pollSeconds: number | null;
    lastPollAt: string | null;
    lastPoll: PollResult | null;
  };
  lastError: { at: string; source: string; message: string } | null;
  pending: number;
  failing: number;
  lastReceivedAt: string | null;
};

/** What the admin sees: what is configured and running in this process, and the stored backlog. */
export async function mailIntakeStatus(ctx: AppContext): Promise<MailIntakeStatus> {
  const config = ctx.config.disclosureMail;
  const state = states.get(ctx);
  const counts = await countInboundMail(ctx.database.db);
  return {
    smtp: {
      configured: Boolean(config.smtp),
      listening: state?.smtpPort !== undefined,
      port: state?.smtpPort ?? config.smtp?.port ?? null,
      address: config.address ?? null,
      starttls: Boolean(config.smtp?.tls),
    },
    imap: {
      configured: Boolean(config.imap),
      mailbox: config.imap ? describeImapTarget(parseImapUrl(config.imap.url)) : null,
      pollSeconds: config.imap?.pollSeconds ?? null,
      lastPollAt: state?.lastPollAt?.toISOString() ?? null,
      lastPoll: state?.lastPoll ?? null,
    },
    lastError: state?.lastError ? { ...state.lastError, at: state.lastError.at.toISOString() } : null,
    pending: counts.pending,
    failing: counts.failing,
    lastReceivedAt: counts.lastReceivedAt?.toISOString() ?? null,
  };
}
