import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { constantTimeEqual, sha256Hex } from '../../core/crypto/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import type { CreditPreference } from '../intake/intake.schemas.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { addResearcherMessage, listMessages, type MessageView } from '../reports/messages.service.ts';
import {
  openAttachmentContent,
  openAttachmentName,
  openReportContent,
  openReporter,
  type ReportContent,
  type Reporter,
  reporterEmailHash,
  sealReporter,
} from '../reports/reports.sealing.ts';
import type { IncomingAttachment } from '../reports/reports.service.ts';
import {
  findAttachment,
  findAttachments,
  findReportByFollowHash,
  findReportById,
  findReportsByEmailHash,
  insertReportEvent,
  type ReportRow,
  updateReport,
} from '../reports/reports.store.ts';
import { issuePortalLink } from './portal.links.ts';
import {
  addressHasReports,
  countLinksSince,
  findLiveLinkByHash,
  findReportOfAddress,
  markLinkUsed,
} from './portal.store.ts';

/**
 * The researcher's side of a report. A follow token opens one report; a portal link (mailed) opens every
 * report sent from its address. Both are looked up by their SHA-256 only; nothing here is staff access,
 * so reads are not audited, but every change is.
 */

/** Magic links one address can be sent in an hour, however often the form is used. */
export const MAX_PORTAL_LINKS_PER_HOUR = 3;

/** The report a follow token opens, or undefined (unknown token). */
export async function reportByFollowToken(ctx: AppContext, token: string): Promise<ReportRow | undefined> {
  const hash = sha256Hex(token);
  const report = await findReportByFollowHash(ctx.database.db, hash);
  return report && constantTimeEqual(report.followTokenHash, hash) ? report : undefined;
}

/** The address hash a live portal link stands for, or undefined (unknown or expired). */
export async function portalAddress(ctx: AppContext, token: string): Promise<string | undefined> {
  const now = new Date();
  const hash = sha256Hex(token);
  const link = await findLiveLinkByHash(ctx.database.db, hash, now);
  if (!link || !constantTimeEqual(link.tokenHash, hash)) return undefined;
  if (!link.usedAt) await markLinkUsed(ctx.database.db, link.id, now);
  return link.emailHash;
}

export type PortalListEntry = Pick<ReportRow, 'number' | 'status' | 'subStatus' | 'receivedAt'> & {
  title: string;
};

/** Every report sent from the address, newest first, with its title. */
export async function portalReports(ctx: AppContext, emailHash: string): Promise<PortalListEntry[]> {
  const rows = await findReportsByEmailHash(ctx.database.db, emailHash);
  return rows.map((row) => ({
    number: row.number,
    status: row.status,
    subStatus: row.subStatus,
    receivedAt: row.receivedAt,
    title: openReportContent(ctx.keyring, row.id, row.contentSealed).title,
  }));
}

/** One report of the address by number; a number of another address's report is simply not found. */
export async function portalReport(
  ctx: AppContext,
  emailHash: string,
  number: number,
): Promise<ReportRow | undefined> {
  return findReportOfAddress(ctx.database.db, emailHash, number);
}

export type ResearcherAttachment = {
  id: string;
  messageId: string | null;
  fileName: string;
  contentType: string;
  size: number;
};

export type ResearcherReportView = {
  report: ReportRow;
  content: ReportContent;
  reporter: Omit<Reporter, 'email'>;
  messages: MessageView[];
  attachments: ResearcherAttachment[];
  timeZone: string;
};

/** What the researcher sees of their report: never internal notes, never the team's names. */
export async function researcherView(ctx: AppContext, report: ReportRow): Promise<ResearcherReportView> {
  const db = ctx.database.db;
  const [program, messages, attachments] = await Promise.all([
    getPublishedProgram(ctx),
    listMessages(ctx, db, report.id, 'researcher'),
    findAttachments(db, report.id),
  ]);
  const visible = new Set(messages.map((message) => message.id));
  const { email: _email, ...reporter } = openReporter(ctx.keyring, report.id, report.reporterSealed);
  return {
    report,
    content: openReportContent(ctx.keyring, report.id, report.contentSealed),
    reporter,
    messages,
    attachments: attachments
      .filter((row) => row.messageId === null || visible.has(row.messageId))
      .map((row) => ({
        id: row.id,
        messageId: row.messageId,
        fileName: openAttachmentName(ctx.keyring, row.id, row.fileNameSealed),
        contentType: row.contentType,
        size: row.size,
      })),
    timeZone: program.source.timeZone,
  };
}

/** A file of the report the researcher may see (the report's own, or one on a visible message). */
export async function researcherAttachment(
  ctx: AppContext,
  report: ReportRow,
  attachmentId: string,
): Promise<{ fileName: string; contentType: string; bytes: Buffer } | undefined> {
  const db = ctx.database.db;
  const row = await findAttachment(db, report.id, attachmentId);
  if (!row) return undefined;
  if (row.messageId) {
    const visible = await listMessages(ctx, db, report.id, 'researcher');
    if (!visible.some((message) => message.id === row.messageId)) return undefined;
  }
  return {
    fileName: openAttachmentName(ctx.keyring, row.id, row.fileNameSealed),
    contentType: row.contentType,
    bytes: openAttachmentContent(ctx.keyring, row.id, row.contentSealed),
  };
}

/** The researcher answers on their report: stored, audited and the team told (by the message service). */
export async function replyAsResearcher(
  ctx: AppContext,
  actor: Actor,
  reportId: string,
  input: { body: string; attachments: IncomingAttachment[] },
): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const report = await findReportById(tx, reportId);
    if (!report) throw new Error(`report ${reportId} vanished while answering`);
    await addResearcherMessage(ctx, tx, actor, report, input);
  });
}

export type CreditInput = {
  creditPreference: CreditPreference;
  name?: string;
  handle?: string;
  url?: string;
};

/**
 * The name, handle and link the researcher wants credited, and which of them to show (or none). The
 * address is kept as it is. Refused (false) once the reporter's personal data was erased.
 */
export async function changeCredit(
  ctx: AppContext,
  actor: Actor,
  reportId: string,
  input: CreditInput,
): Promise<boolean> {
  return ctx.database.db.transaction(async (tx) => {
    const report = await findReportById(tx, reportId);
    if (!report || report.erasedAt) return false;
    const before = openReporter(ctx.keyring, report.id, report.reporterSealed);
    const after: Reporter = { ...before, name: input.name, handle: input.handle, url: input.url };
    for (const key of Object.keys(after) as (keyof Reporter)[]) if (!after[key]) delete after[key];
    const changed = (['name', 'handle', 'url'] as const).filter((key) => before[key] !== after[key]);
    const hasIdentity = Object.keys(after).length > 0;
    await updateReport(tx, report.id, {
      reporterSealed: hasIdentity ? sealReporter(ctx.keyring, report.id, after) : null,
      creditPreference: input.creditPreference,
    });
    await insertReportEvent(tx, {
      reportId: report.id,
      type: 'credit-changed',
      details: { creditPreference: input.creditPreference, changed },
    });
    await recordAudit(tx, actor, {
      action: 'disclosure.report.credit-changed',
      targetType: 'disclosure_report',
      targetId: report.id,
      details: {
        number: report.number,
        from: report.creditPreference,
        creditPreference: input.creditPreference,
        changed,
      },
    });
    return true;
  });
}

/**
 * Mails a portal link to `email` if reports came from it, at most MAX_PORTAL_LINKS_PER_HOUR an hour.
 * The caller answers the same whatever happened here, so the form tells no one which addresses reported.
 */
export async function requestPortalLink(
  ctx: AppContext,
  actor: Actor,
  email: string,
  locale: Locale,
): Promise<void> {
  const emailHash = reporterEmailHash(ctx.keyring, email);
  const since = new Date(Date.now() - 3_600_000);
  await ctx.database.db.transaction(async (tx) => {
    const known = await addressHasReports(tx, emailHash);
    const sent = known && (await countLinksSince(tx, emailHash, since)) < MAX_PORTAL_LINKS_PER_HOUR;
    await recordAudit(tx, actor, {
      action: 'disclosure.portal-link.requested',
      details: { known, sent },
    });
    if (!sent) return;
    const program = await getPublishedProgram(ctx, tx);
    const link = await issuePortalLink(ctx, tx, emailHash, locale);
    await queueMail(ctx, tx, {
      to: email.trim().toLowerCase(),
      template: 'disclosure-researcher-portal-link',
      locale,
      cause: actor,
      vars: { organizationName: program.source.companyName, link: link.url, expiresAt: link.expiresAt },
    });
  });
}
