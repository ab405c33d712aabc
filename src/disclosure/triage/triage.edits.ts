import { eq } from 'drizzle-orm';
import type { AppContext } from '../../core/context.ts';
import { encrypt } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { findUserSummaries } from '../../identity/index.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { addInternalNote, addTeamMessage } from '../reports/messages.service.ts';
import { TRIAGE_ROLES } from '../reports/notify-team.ts';
import { actorUserId, recordReportChange } from '../reports/report-trail.ts';
import { inboundMailAad } from '../reports/reports.sealing.ts';
import { calendarOf, isOutOfScope } from '../reports/reports.service.ts';
import { type ReportRow, updateReport } from '../reports/reports.store.ts';
import { disclosureInboundMail, disclosureMessages } from '../tables.ts';
import { triageProblems } from './triage.problems.ts';
import type { Severity, UpdateReportBody } from './triage.schemas.ts';
import { changeReport } from './triage.service.ts';
import { fixDueAtFor, scoreReportVector } from './triage.severity.ts';
import { deleteResearcherLinks, findOtherReportsByEmailHash, lockReport } from './triage.store.ts';
import { summaryOf } from './triage.views.ts';

/** Edits of a report's triage fields, the conversation from the team's side, and erasure of the reporter. */

async function checkAssignee(q: Queryable, userId: string): Promise<void> {
  const [user] = await findUserSummaries(q, [userId]);
  const canTriage = (TRIAGE_ROLES as readonly string[]).includes(user?.role ?? '');
  if (user?.status !== 'active' || !canTriage) {
    throw triageProblems.field('/assigneeId', 'the assignee must be an active owner, admin or security user');
  }
}

/** The severity fields a body asks for, checked: the vector decides severity whenever there is one. */
function severityChanges(report: ReportRow, body: UpdateReportBody): Partial<ReportRow> {
  const changes: Partial<ReportRow> = {};
  if (body.cvssVector) {
    const scored = scoreReportVector(body.cvssVector);
    if (typeof scored === 'string') throw triageProblems.field('/cvssVector', scored);
    changes.cvssVector = body.cvssVector;
    changes.cvssScore = scored.cvssScore.toFixed(1);
    changes.severity = scored.severity;
  } else if (body.cvssVector === null) {
    changes.cvssVector = null;
    changes.cvssScore = null;
    changes.severity = body.severity ?? null;
  }
  const vectorAfter = body.cvssVector === undefined ? report.cvssVector : body.cvssVector;
  if (body.severity !== undefined) {
    if (vectorAfter && body.severity !== (changes.severity ?? report.severity)) {
      throw triageProblems.field('/severity', 'the CVSS vector sets the severity; clear the vector first');
    }
    changes.severity = body.severity;
  }
  return changes;
}

/** PATCH /reports/{id}: assignee, CVSS vector (→ score, severity, fix target), CWE, issue URL, asset… */
export function updateReportFields(ctx: AppContext, actor: Actor, reportId: string, body: UpdateReportBody) {
  return changeReport(ctx, reportId, async ({ tx, report, program }) => {
    if (body.assigneeId) await checkAssignee(tx, body.assigneeId);
    const wanted: Partial<ReportRow> = {
      ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}),
      ...(body.cweId !== undefined ? { cweId: body.cweId } : {}),
      ...(body.issueUrl !== undefined ? { issueUrl: body.issueUrl } : {}),
      ...(body.asset !== undefined ? { asset: body.asset } : {}),
      ...(body.category !== undefined ? { category: body.category } : {}),
      ...severityChanges(report, body),
    };
    // The team rating the report, even with the reporter's own vector unchanged, confirms the proposal.
    if (report.severityProposed && (body.cvssVector !== undefined || body.severity !== undefined)) {
      wanted.severityProposed = false;
    }
    const changed = (Object.keys(wanted) as (keyof ReportRow)[]).filter((key) => wanted[key] !== report[key]);
    if (changed.length === 0) return report;
    const updates = Object.fromEntries(changed.map((key) => [key, wanted[key]])) as Partial<ReportRow>;
    if ('asset' in updates || 'category' in updates) {
      const asset = 'asset' in updates ? updates.asset : report.asset;
      const category = 'category' in updates ? updates.category : report.category;
      updates.outOfScope = isOutOfScope(program.source, asset, category);
    }
    if ('severity' in updates || 'severityProposed' in updates) {
      const severity = 'severity' in updates ? updates.severity : report.severity;
      updates.fixDueAt = fixDueAtFor(program.source, (severity ?? null) as Severity | null, report);
    }
    const updated = (await updateReport(tx, report.id, updates)) as ReportRow;
    // Nothing here is sealed, so the values go into the trail as they are.
    const values = Object.fromEntries(changed.map((key) => [key, updated[key]]));
    const details = { changed, ...values, fixDueAt: updated.fixDueAt?.toISOString() ?? null };
    await recordReportChange(tx, actor, report, {
      type: 'updated',
      action: 'disclosure.report.updated',
      details,
    });
    return updated;
  });
}

async function messageView(
  q: Queryable,
  id: string,
  kind: 'team' | 'note',
  body: string,
  author: string | null,
) {
  const [row] = await q
    .select({ createdAt: disclosureMessages.createdAt })
    .from(disclosureMessages)
    .where(eq(disclosureMessages.id, id));
  return {
    id,
    kind,
    authorUserId: author,
    body,
    isFirstResponse: false,
    createdAt: (row?.createdAt ?? new Date()).toISOString(),
  };
}

/** POST /reports/{id}/messages (seen and mailed to the researcher) or /notes (the team only). */
export async function postToReport(
  ctx: AppContext,
  actor: Actor,
  reportId: string,
  kind: 'team' | 'note',
  body: string,
) {
  return ctx.database.db.transaction(async (tx) => {
    const report = await lockReport(tx, reportId);
    if (!report) throw triageProblems.reportNotFound(reportId);
    const authorUserId = actorUserId(actor);
    const id =
      kind === 'team'
        ? await addTeamMessage(ctx, tx, actor, report, { body, authorUserId })
        : await addInternalNote(ctx, tx, actor, report, { body, authorUserId });
    return messageView(tx, id, kind, body, authorUserId);
  });
}

/**
 * POST /reports/{id}/erase-reporter: the researcher's personal data goes, the report stays. Their sealed
 * identity and address hash are dropped, credit becomes anonymous, and the raw e-mails the report came
 * from are emptied. Portal links of the address go too unless other reports from it remain (listed in
 * the answer, to be erased the same way if the request covers them).
 */
export async function eraseReporter(ctx: AppContext, actor: Actor, reportId: string) {
  return ctx.database.db.transaction(async (tx) => {
    const report = await lockReport(tx, reportId);
    if (!report) throw triageProblems.reportNotFound(reportId);
    if (report.erasedAt) throw triageProblems.reporterErased(report.number);
    const emailHash = report.reporterEmailHash;
    const others = emailHash ? await findOtherReportsByEmailHash(tx, emailHash, report.id) : [];
    const updated = (await updateReport(tx, report.id, {
      reporterSealed: null,
      reporterEmailHash: null,
      creditPreference: 'anonymous',
      erasedAt: new Date(),
    })) as ReportRow;
    const inbound = await tx
      .select({ id: disclosureInboundMail.id })
      .from(disclosureInboundMail)
      .where(eq(disclosureInboundMail.reportId, report.id));
    for (const mail of inbound) {
      await tx
        .update(disclosureInboundMail)
        .set({ rawSealed: encrypt(ctx.keyring, Buffer.alloc(0), inboundMailAad(mail.id)) })
        .where(eq(disclosureInboundMail.id, mail.id));
    }
    if (emailHash && others.length === 0) await deleteResearcherLinks(tx, emailHash);
    const details = { hadIdentity: report.reporterSealed !== null, rawMailsEmptied: inbound.length };
    await recordReportChange(tx, actor, report, {
      type: 'reporter-erased',
      action: 'disclosure.report.reporter-erased',
      details,
      auditOnly: { otherReports: others.map((other) => other.number) },
    });
    const program = await getPublishedProgram(ctx, tx);
    return { report: await summaryOf(ctx, tx, updated, calendarOf(program.source)), otherReports: others };
  });
}
