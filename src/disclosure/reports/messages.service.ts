import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { isLocale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import type { MailTemplateVars } from '../../core/mail/templates.ts';
import type { DisclosureResearcherMailTemplateVars } from '../mail/researcher.templates.ts';
import { issuePortalLink } from '../portal/portal.links.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { disclosureMessages, type ReportStatus } from '../tables.ts';
import { isOpenStatus } from '../triage/triage.states.ts';
import { notifyTeam } from './notify-team.ts';
import { outboundMessageId } from './report-links.ts';
import { openMessageBody, openReporter, sealAttachment, sealMessageBody } from './reports.sealing.ts';
import type { IncomingAttachment } from './reports.service.ts';
import { insertAttachments, insertReportEvent, type ReportRow, updateReport } from './reports.store.ts';

export type MessageKind = 'researcher' | 'team' | 'note' | 'system';
export type MessageView = {
  id: string;
  kind: MessageKind;
  authorUserId: string | null;
  body: string;
  isFirstResponse: boolean;
  createdAt: string;
};

type ResearcherTemplate = keyof DisclosureResearcherMailTemplateVars;

/**
 * Mails the report's researcher, if they left an address, in the report's language. The mail carries a
 * Message-ID naming the report and replies to the researcher's original e-mail, so answers thread.
 */
export async function mailResearcher<T extends ResearcherTemplate>(
  ctx: AppContext,
  q: Queryable,
  report: ReportRow,
  template: T,
  vars: Omit<DisclosureResearcherMailTemplateVars[T], 'organizationName' | 'reportNumber' | 'link'>,
): Promise<boolean> {
  const reporter = openReporter(ctx.keyring, report.id, report.reporterSealed);
  if (!reporter.email || !report.reporterEmailHash) return false;
  const program = await getPublishedProgram(ctx, q);
  const locale = isLocale(report.locale) ? report.locale : 'en';
  // The follow token is not stored, so the mail carries a fresh portal link to the researcher's reports.
  const { url: link } = await issuePortalLink(ctx, q, report.reporterEmailHash, locale);
  const original = report.channel === 'email' ? report.sourceRef : null;
  await queueMail(ctx, q, {
    to: reporter.email,
    template,
    locale,
    vars: {
      ...vars,
      link,
      organizationName: program.source.companyName,
      reportNumber: report.number,
    } as unknown as MailTemplateVars[T],
    headers: {
      'Message-ID': outboundMessageId(ctx, report.id, randomUUID().replaceAll('-', '')),
      ...(original ? { 'In-Reply-To': original, References: original } : {}),
    },
  });
  return true;
}

async function insertMessage(
  ctx: AppContext,
  q: Queryable,
  report: ReportRow,
  message: {
    kind: MessageKind;
    body: string;
    authorUserId?: string | null;
    emailMessageId?: string | null;
    isFirstResponse?: boolean;
    attachments?: IncomingAttachment[];
  },
): Promise<string> {
  const id = randomUUID();
  await q.insert(disclosureMessages).values({
    id,
    reportId: report.id,
    kind: message.kind,
    authorUserId: message.authorUserId ?? null,
    bodySealed: sealMessageBody(ctx.keyring, id, message.body),
    emailMessageId: message.emailMessageId ?? null,
    isFirstResponse: message.isFirstResponse ?? false,
  });
  await insertAttachments(
    q,
    (message.attachments ?? []).map((file) => {
      const attachmentId = randomUUID();
      return {
        id: attachmentId,
        reportId: report.id,
        messageId: id,
        contentType: file.contentType,
        size: file.content.length,
        sha256: createHash('sha256').update(file.content).digest('hex'),
        ...sealAttachment(ctx.keyring, attachmentId, file),
      };
    }),
  );
  await insertReportEvent(q, {
    reportId: report.id,
    type: `message-${message.kind}`,
    actorUserId: message.authorUserId ?? null,
    details: { messageId: id, attachments: message.attachments?.length ?? 0 },
  });
  return id;
}

/** A message from the researcher (portal, e-mail reply, GitHub): stored, audited, the team told. */
export async function addResearcherMessage(
  ctx: AppContext,
  q: Queryable,
  actor: Actor,
  report: ReportRow,
  input: { body: string; emailMessageId?: string; attachments?: IncomingAttachment[] },
): Promise<string> {
  const id = await insertMessage(ctx, q, report, { kind: 'researcher', ...input });
  await recordAudit(q, actor, {
    action: 'disclosure.message.received',
    targetType: 'disclosure_report',
    targetId: report.id,
    details: { messageId: id, number: report.number },
  });
  await notifyTeam(ctx, q, report, 'researcher-message', { cause: actor });
  if (!isOpenStatus(report.status as ReportStatus) && !report.replyAfterCloseAt) {
    await bringBackToInbox(q, actor, report, id);
  }
  return id;
}

/**
 * A reply on a closed report (a retest that failed, an objection to "out of scope") must not sit unseen
 * under "closed": the report shows in the open inbox, marked, until the team answers or moves it. Its
 * status stays as the team decided: the researcher cannot reopen a report by writing.
 */
async function bringBackToInbox(q: Queryable, actor: Actor, report: ReportRow, messageId: string) {
  await updateReport(q, report.id, { replyAfterCloseAt: new Date() });
  await insertReportEvent(q, {
    reportId: report.id,
    type: 'reply-after-close',
    actorUserId: null,
    details: { messageId, status: report.status },
  });
  await recordAudit(q, actor, {
    action: 'disclosure.report.reply-after-close',
    targetType: 'disclosure_report',
    targetId: report.id,
    details: { number: report.number, status: report.status, messageId },
  });
}

/** A team message the researcher sees; mailed unless it is the first response or `mail` is false. */
export async function addTeamMessage(
  ctx: AppContext,
  q: Queryable,
  actor: Actor,
  report: ReportRow,
  input: {
    body: string;
    authorUserId: string | null;
    isFirstResponse?: boolean;
    attachments?: IncomingAttachment[];
    /** false when another mail already carries the message (a status change's). Default true. */
    mail?: boolean;
  },
): Promise<string> {
  const { mail = true, ...message } = input;
  const id = await insertMessage(ctx, q, report, { kind: 'team', ...message });
  // Answered: a closed report the researcher wrote on again leaves the open inbox.
  if (report.replyAfterCloseAt) await updateReport(q, report.id, { replyAfterCloseAt: null });
  await recordAudit(q, actor, {
    action: 'disclosure.message.sent',
    targetType: 'disclosure_report',
    targetId: report.id,
    details: { messageId: id, number: report.number, firstResponse: input.isFirstResponse ?? false },
  });
  if (!input.isFirstResponse && mail) {
    await mailResearcher(ctx, q, report, 'disclosure-researcher-message', { message: input.body });
  }
  return id;
}

/** An internal note: the team only, never shown or mailed to the researcher. */
export async function addInternalNote(
  ctx: AppContext,
  q: Queryable,
  actor: Actor,
  report: ReportRow,
  input: { body: string; authorUserId: string | null },
): Promise<string> {
  const id = await insertMessage(ctx, q, report, { kind: 'note', ...input });
  await recordAudit(q, actor, {
    action: 'disclosure.note.added',
    targetType: 'disclosure_report',
    targetId: report.id,
    details: { messageId: id, number: report.number },
  });
  return id;
}

/** A generated line in the conversation (state changes), shown to both sides. */
export async function addSystemMessage(
  ctx: AppContext,
  q: Queryable,
  report: ReportRow,
  body: string,
): Promise<string> {
  return insertMessage(ctx, q, report, { kind: 'system', body });
}

/** The conversation, opened: researchers see everything but notes; the team sees all. */
export async function listMessages(
  ctx: AppContext,
  q: Queryable,
  reportId: string,
  audience: 'team' | 'researcher',
): Promise<MessageView[]> {
  const kinds: MessageKind[] =
    audience === 'team' ? ['researcher', 'team', 'note', 'system'] : ['researcher', 'team', 'system'];
  const rows = await q
    .select()
    .from(disclosureMessages)
    .where(and(eq(disclosureMessages.reportId, reportId), inArray(disclosureMessages.kind, kinds)))
    .orderBy(asc(disclosureMessages.createdAt));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as MessageKind,
    authorUserId: row.authorUserId,
    body: openMessageBody(ctx.keyring, row.id, row.bodySealed),
    isFirstResponse: row.isFirstResponse,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** The report an incoming e-mail answers, by the Message-IDs stored on messages. */
export async function findReportIdByEmailMessageIds(
  q: Queryable,
  messageIds: string[],
): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const [row] = await q
    .select({ reportId: disclosureMessages.reportId })
    .from(disclosureMessages)
    .where(inArray(disclosureMessages.emailMessageId, messageIds))
    .limit(1);
  return row?.reportId;
}
