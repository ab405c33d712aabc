import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import type { Queryable } from '../../../core/db/index.ts';
import { systemActor } from '../../../core/http/actor.ts';
import { isLocale, type Locale, translate } from '../../../core/i18n/index.ts';
import type { JobDefinition } from '../../../core/jobs/index.ts';
import { getActiveProgramKeys, getPublishedProgram } from '../../program/program.service.ts';
import {
  addInternalNote,
  addResearcherMessage,
  addSystemMessage,
  findReportIdByEmailMessageIds,
} from '../../reports/messages.service.ts';
import { reportIdFromMessageId } from '../../reports/report-links.ts';
import { reporterEmailHash } from '../../reports/reports.sealing.ts';
import { createReport } from '../../reports/reports.service.ts';
import { findReportById, findReportBySource, type ReportRow } from '../../reports/reports.store.ts';
import { authenticateSender, isFromAuthenticated, type SenderAuthentication } from './mail-intake.auth.ts';
import {
  type InboundMessage,
  MAX_EMAIL_ATTACHMENT_BYTES,
  MAX_EMAIL_ATTACHMENTS,
  parseInboundMail,
} from './mail-intake.parse.ts';
import {
  findInboundMail,
  type InboundJob,
  InboundMailPayload,
  markInboundProcessed,
  openInboundRaw,
  recordInboundFailure,
} from './mail-intake.store.ts';

/**
 * Turns a stored e-mail into a report or into a message on the report it answers. Runs as a job after
 * the message was stored (see mail-intake.store.ts); idempotent: the row is locked and `processedAt`
 * set in the transaction that creates the report or message, so a retry or a second copy does nothing.
 */

export const MAIL_INTAKE_JOB = 'disclosure.mail-intake-process';

export type InboundOutcome =
  | { kind: 'report'; reportId: string }
  | { kind: 'reply'; reportId: string }
  | { kind: 'ignored'; reason: string; reportId?: string };

const emailActor = systemActor('email');
const Uuid = z.uuid();

export function mailIntakeJob(ctx: AppContext): InboundJob {
  return {
    name: MAIL_INTAKE_JOB,
    payload: InboundMailPayload,
    retryLimit: 5,
    handle: async ({ inboundId }) => {
      try {
        await processInboundMail(ctx, inboundId);
      } catch (error) {
        // Kept on the row for the status endpoint; pg-boss retries with back-off, then keeps the job as
        // dead, where an admin sees it (Failed jobs) and may run it again.
        await recordInboundFailure(ctx.database.db, inboundId, (error as Error).message).catch(() => {});
        throw error;
      }
    },
  };
}

export function mailIntakeJobs(ctx: AppContext): JobDefinition<z.ZodType>[] {
  return [mailIntakeJob(ctx) as unknown as JobDefinition<z.ZodType>];
}

/** Processes one stored message; undefined when it was already processed (or does not exist). */
export async function processInboundMail(
  ctx: AppContext,
  inboundId: string,
): Promise<InboundOutcome | undefined> {
  const db = ctx.database.db;
  const row = await findInboundMail(db, inboundId);
  if (!row || row.processedAt) return undefined;
  // Keys are read before the transaction: with PGlite's single connection, reading them through
  // `db` inside it would wait on ourselves.
  const keys = (await getActiveProgramKeys(ctx)).map((key) => key.privateKey);
  const raw = openInboundRaw(ctx, row);
  const message = await parseInboundMail(raw, keys);
  // DNS lookups, so before the transaction too.
  const auth = await authenticateSender(raw, row.source, new URL(ctx.config.publicUrl).hostname || 'attest');
  return db.transaction(async (tx) => {
    const locked = await findInboundMail(tx, inboundId, { lock: true });
    if (!locked || locked.processedAt) return undefined;
    const outcome = await routeMessage(ctx, tx, message, auth);
    await markInboundProcessed(tx, inboundId, {
      reportId: outcome.reportId ?? null,
      error: outcome.kind === 'ignored' ? outcome.reason : null,
    });
    return outcome;
  });
}

function addressOf(value: string): string | undefined {
  return /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1]?.toLowerCase() ?? (value.includes('@') ? value : undefined);
}

/** Mail our own addresses sent (a bounce of our receipt, a forward loop) must not become a report. */
function loopReason(ctx: AppContext, message: InboundMessage): string | undefined {
  const own = [ctx.config.disclosureMail.address, addressOf(ctx.config.mailFrom.trim())].filter(Boolean);
  const from = message.from.address;
  return from && own.includes(from) ? `loop: sent from the program's own address ${from}` : undefined;
}

/** The report this message answers, by its In-Reply-To / References: ours name the report. */
async function threadedReport(q: Queryable, references: string[]): Promise<ReportRow | undefined> {
  for (const reference of references) {
    const id = reportIdFromMessageId(reference);
    if (id && Uuid.safeParse(id).success) {
      const report = await findReportById(q, id);
      if (report) return report;
    }
  }
  const byMessage = await findReportIdByEmailMessageIds(q, references);
  if (byMessage) return findReportById(q, byMessage);
  for (const reference of references) {
    const report = await findReportBySource(q, 'email', reference);
    if (report) return report;
  }
  return undefined;
}

/** A message already recorded (the same mail via SMTP and IMAP, or sent twice) is not recorded again. */
async function alreadyRecorded(q: Queryable, messageId: string | undefined) {
  if (!messageId) return undefined;
  const report = await findReportBySource(q, 'email', messageId);
  if (report) return report.id;
  return findReportIdByEmailMessageIds(q, [messageId]);
}

function localeOf(report: ReportRow): Locale {
  return isLocale(report.locale) ? report.locale : 'en';
}

/** What the team and the researcher should know about the mail that is not in its text. */
function intakeNotes(message: InboundMessage, locale: Locale): string[] {
  const notes: string[] = [];
  if (message.undecryptable) notes.push(translate(locale, 'vdp-mail-intake:undecryptable'));
  if (message.skippedAttachments.length > 0) {
    notes.push(
      translate(locale, 'vdp-mail-intake:attachmentsSkipped', {
        files: message.skippedAttachments.join(', '),
        maxCount: MAX_EMAIL_ATTACHMENTS,
        maxMb: MAX_EMAIL_ATTACHMENT_BYTES / 1024 / 1024,
      }),
    );
  }
  return notes;
}

async function routeMessage(
  ctx: AppContext,
  tx: Queryable,
  message: InboundMessage,
  auth: SenderAuthentication,
): Promise<InboundOutcome> {
  const ignored = message.automatic ?? loopReason(ctx, message);
  if (ignored) return { kind: 'ignored', reason: ignored };
  const recorded = await alreadyRecorded(tx, message.messageId);
  if (recorded) return { kind: 'ignored', reason: 'already recorded', reportId: recorded };

  const senderHash = message.from.address ? reporterEmailHash(ctx.keyring, message.from.address) : undefined;
  const senderVerified = isFromAuthenticated(auth, message.from.address);
  const answered = message.references.length > 0 ? await threadedReport(tx, message.references) : undefined;
  const fromReporter = Boolean(answered && senderHash && answered.reporterEmailHash === senderHash);
  // Only the reporter's own address may add to a report, and only when the mail really comes from it
  // (its From domain authenticated): anyone else who quotes our Message-ID (or guesses one), forged
  // From or not, starts a report of their own instead of writing into someone else's.
  if (answered && fromReporter && senderVerified) {
    const locale = localeOf(answered);
    await addResearcherMessage(ctx, tx, emailActor, answered, {
      body: message.text || translate(locale, 'vdp-mail-intake:noText'),
      ...(message.messageId ? { emailMessageId: message.messageId } : {}),
      attachments: message.attachments,
    });
    for (const note of intakeNotes(message, locale)) await addSystemMessage(ctx, tx, answered, note);
    return { kind: 'reply', reportId: answered.id };
  }

  const program = await getPublishedProgram(ctx, tx);
  const locale = message.locale ?? program.source.defaultLocale;
  const { report } = await createReport(
    ctx,
    tx,
    emailActor,
    {
      locale,
      content: {
        title: message.subject || translate(locale, 'vdp-mail-intake:untitled'),
        description: message.text || translate(locale, 'vdp-mail-intake:noText'),
        steps: '',
        impact: '',
      },
      reporter: {
        ...(message.from.name ? { name: message.from.name } : {}),
        ...(message.from.address ? { email: message.from.address } : {}),
      },
      attachments: message.attachments,
    },
    {
      channel: 'email',
      senderVerified,
      ...(message.messageId ? { sourceRef: message.messageId, emailMessageId: message.messageId } : {}),
    },
  );
  for (const note of intakeNotes(message, locale)) await addSystemMessage(ctx, tx, report, note);
  if (answered && fromReporter) {
    // For the team only: the researcher's side must not learn which report the mail pointed at.
    const body = translate(locale, 'vdp-mail-intake:unverifiedReply', {
      number: answered.number,
      results: auth.summary,
    });
    await addInternalNote(ctx, tx, emailActor, report, { body, authorUserId: null });
  }
  return { kind: 'report', reportId: report.id };
}
