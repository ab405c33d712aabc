import { recordAudit } from '../../audit/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { insertReportEvent, type ReportRow } from './reports.store.ts';

/** The signed-in user behind an action, if any (system and token actors have none). */
export const actorUserId = (actor: Actor) => (actor.type === 'user' ? actor.user.id : null);

/**
 * A change to a report, written twice in the caller's transaction: to the report's timeline (what the
 * team reads) and to the audit chain (what proves it). `auditOnly` adds details the timeline doesn't need.
 */
export async function recordReportChange(
  q: Queryable,
  actor: Actor,
  report: Pick<ReportRow, 'id' | 'number'>,
  change: {
    type: string;
    action: string;
    details: Record<string, unknown>;
    auditOnly?: Record<string, unknown>;
  },
): Promise<void> {
  await insertReportEvent(q, {
    reportId: report.id,
    type: change.type,
    actorUserId: actorUserId(actor),
    details: change.details,
  });
  await recordAudit(q, actor, {
    action: change.action,
    targetType: 'disclosure_report',
    targetId: report.id,
    details: { number: report.number, ...change.details, ...change.auditOnly },
  });
}
