import { createHash, randomUUID } from 'node:crypto';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { randomToken, sha256Hex } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import type { ProgramSource } from '../program/program.schema.ts';
import { getProgramVersion, getPublishedProgram } from '../program/program.service.ts';
import type { ReportChannel } from '../tables.ts';
import { addBusinessDays } from '../triage/sla.ts';
import { fixDueAtFor, scoreReportVector } from '../triage/triage.severity.ts';
import { pickDuplicates } from './duplicates.ts';
import { notifyTeam } from './notify-team.ts';
import { followUrl, outboundMessageId } from './report-links.ts';
import {
  openReportContent,
  type ReportContent,
  type Reporter,
  reporterEmailHash,
  sealAttachment,
  sealReportContent,
  sealReporter,
} from './reports.sealing.ts';
import {
  findOpenReportsOnAsset,
  insertAttachments,
  insertReport,
  insertReportEvent,
  type ReportRow,
} from './reports.store.ts';

export type IncomingAttachment = { fileName: string; contentType: string; content: Buffer };

export type NewReport = {
  locale: Locale;
  asset?: string | null;
  category?: string | null;
  content: ReportContent;
  cvssVector?: string | null;
  reporter?: Reporter;
  creditPreference?: 'name' | 'handle' | 'anonymous';
  /** The policy version the reporter accepted (form, API); the current one for e-mail and imports. */
  acceptedPolicyVersion?: number;
  attachments?: IncomingAttachment[];
};

export type ReportSource = {
  channel: ReportChannel;
  /** Idempotency key of an import: the e-mail Message-ID, the GHSA id. */
  sourceRef?: string;
  sourceUrl?: string;
  /** The researcher's e-mail, when the report came as one: the receipt replies to it. */
  emailMessageId?: string;
  /**
   * When the report reached the organization through another system (GitHub's `created_at`), so the SLA
   * clock starts then rather than at import. Never later than now; defaults to now.
   */
  receivedAt?: Date;
  /**
   * E-mail only: whether the From domain was authenticated (SPF, DKIM, DMARC; see mail-intake.auth.ts).
   * False flags the report for the team: the reporter's address may be forged.
   */
  senderVerified?: boolean;
};

export type CreatedReport = {
  report: ReportRow;
  followToken: string;
  followUrl: string;
  responseDueBy: Date;
};

export class UnknownPolicyVersionError extends Error {
  constructor(readonly version: number) {
    super(`policy version ${version} does not exist`);
  }
}

/** Where the program's SLA clock runs. */
export function calendarOf(source: ProgramSource) {
  return { timeZone: source.timeZone, holidays: source.holidays };
}

/** A report matches the out-of-scope list by category, or by naming an out-of-scope asset. */
export function isOutOfScope(
  source: ProgramSource,
  asset?: string | null,
  category?: string | null,
): boolean {
  if (category && source.outOfScopeCategories.some((c) => c.key === category)) return true;
  if (asset && source.assets.some((a) => !a.inScope && a.identifier === asset)) return true;
  return false;
}

async function duplicateCandidates(ctx: AppContext, q: Queryable, asset: string, content: ReportContent) {
  const pool = await findOpenReportsOnAsset(q, asset);
  const candidates = pool.map((row) => {
    const other = openReportContent(ctx.keyring, row.id, row.contentSealed);
    return { id: row.id, text: `${other.title}\n${other.description}` };
  });
  return pickDuplicates(`${content.title}\n${content.description}`, candidates);
}

/**
 * The reporter's own CVSS vector, scored on arrival: score, severity and fix target as a proposal the
 * team confirms in triage. A vector that does not score (an importer's odd one) proposes nothing.
 */
function reporterProposal(program: ProgramSource, vector: string | null | undefined, receivedAt: Date) {
  const scored = vector ? scoreReportVector(vector) : null;
  if (!scored || typeof scored === 'string') return {};
  return {
    cvssScore: scored.cvssScore.toFixed(1),
    severity: scored.severity,
    severityProposed: true,
    fixDueAt: fixDueAtFor(program, scored.severity, { triagedAt: null, receivedAt }),
  };
}

/**
 * Records a new report, whatever channel it came by, inside the caller's transaction: sealed content,
 * reporter and attachments, the SLA deadline, duplicate candidates and out-of-scope flag, the timeline's
 * first event, the audit entry, the receipt to the reporter and the notice to the team (both queued in
 * the same transaction, so nothing is promised that is not stored).
 */
export async function createReport(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  input: NewReport,
  source: ReportSource,
): Promise<CreatedReport> {
  const current = await getPublishedProgram(ctx, tx);
  let accepted = current;
  if (input.acceptedPolicyVersion !== undefined && input.acceptedPolicyVersion !== current.version) {
    const version = await getProgramVersion(ctx, input.acceptedPolicyVersion, tx);
    if (!version) throw new UnknownPolicyVersionError(input.acceptedPolicyVersion);
    accepted = version;
  }
  // Promises are the ones in force now: the current program's SLA and deadline.
  const program = current.source;
  const id = randomUUID();
  const now = new Date();
  const receivedAt = source.receivedAt && source.receivedAt < now ? source.receivedAt : now;
  const responseDueBy = addBusinessDays(receivedAt, program.responseBusinessDays, calendarOf(program));
  const followToken = randomToken();
  const reporter = input.reporter ?? {};
  const email = reporter.email?.trim().toLowerCase();
  const asset = input.asset?.trim() || null;
  const duplicates = asset ? await duplicateCandidates(ctx, tx, asset, input.content) : [];
  const hasIdentity = Boolean(reporter.name || reporter.email || reporter.handle || reporter.url);
  const proposal = reporterProposal(program, input.cvssVector, receivedAt);

  const report = await insertReport(tx, {
    id,
    channel: source.channel,
    senderVerified: source.senderVerified ?? null,
    sourceRef: source.sourceRef ?? null,
    sourceUrl: source.sourceUrl ?? null,
    policyVersion: accepted.version,
    locale: input.locale,
    asset,
    category: input.category ?? null,
    outOfScope: isOutOfScope(program, asset, input.category),
    contentSealed: sealReportContent(ctx.keyring, id, input.content),
    reporterSealed: hasIdentity ? sealReporter(ctx.keyring, id, { ...reporter, email }) : null,
    reporterEmailHash: email ? reporterEmailHash(ctx.keyring, email) : null,
    creditPreference: hasIdentity ? (input.creditPreference ?? 'name') : 'anonymous',
    cvssVector: input.cvssVector ?? null,
    ...proposal,
    duplicateCandidates: duplicates,
    followTokenHash: sha256Hex(followToken),
    receivedAt,
    responseDueAt: responseDueBy,
    disclosureDueAt: new Date(receivedAt.getTime() + program.disclosureDeadlineDays * 86_400_000),
  });

  await insertAttachments(
    tx,
    (input.attachments ?? []).map((file) => {
      const attachmentId = randomUUID();
      return {
        id: attachmentId,
        reportId: id,
        contentType: file.contentType,
        size: file.content.length,
        sha256: createHash('sha256').update(file.content).digest('hex'),
        ...sealAttachment(ctx.keyring, attachmentId, file),
      };
    }),
  );
  await insertReportEvent(tx, {
    reportId: id,
    type: 'received',
    details: { channel: source.channel, policyVersion: accepted.version, duplicateCandidates: duplicates },
  });
  await recordAudit(tx, actor, {
    action: 'disclosure.report.received',
    targetType: 'disclosure_report',
    targetId: id,
    details: {
      number: report.number,
      channel: source.channel,
      outOfScope: report.outOfScope,
      ...(source.senderVerified === undefined ? {} : { senderVerified: source.senderVerified }),
    },
  });

  const link = followUrl(ctx, input.locale, followToken);
  if (email) {
    await queueMail(ctx, tx, {
      to: email,
      template: 'disclosure-researcher-receipt',
      locale: input.locale,
      cause: actor,
      vars: {
        organizationName: program.companyName,
        reportNumber: report.number,
        title: input.content.title,
        responseDueBy,
        timeZone: program.timeZone,
        link,
      },
      headers: {
        'Message-ID': outboundMessageId(ctx, id, 'receipt'),
        ...(source.emailMessageId
          ? { 'In-Reply-To': source.emailMessageId, References: source.emailMessageId }
          : {}),
      },
    });
  }
  await notifyTeam(ctx, tx, report, 'new-report', { organizationName: program.companyName, cause: actor });
  return { report, followToken, followUrl: link, responseDueBy };
}
