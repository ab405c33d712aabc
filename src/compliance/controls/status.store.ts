import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { complianceControlStatusHistory, complianceControls } from '../tables.ts';
import { type CurrentEvidence, deriveControlStatus } from './status.ts';

/**
 * Per control and required piece of evidence, the newest item (by collection time) that no later item
 * supersedes. Plain SQL: DISTINCT ON has no drizzle builder.
 */
export async function currentEvidence(
  q: Queryable,
  controlIds?: string[],
): Promise<Map<string, CurrentEvidence[]>> {
  const filter =
    controlIds === undefined
      ? sql``
      : sql`and e.control_id in (${sql.join(
          controlIds.map((id) => sql`${id}`),
          sql`, `,
        )})`;
  if (controlIds?.length === 0) return new Map();
  const result = await q.execute(sql`
    select distinct on (e.control_id, e.requirement_index)
      e.control_id as "controlId", e.requirement_index as "requirementIndex", e.outcome, e.expires_at as "expiresAt"
    from compliance_evidence e
    where not exists (select 1 from compliance_evidence s where s.supersedes = e.id) ${filter}
    order by e.control_id, e.requirement_index, e.collected_at desc, e.seq desc`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as (CurrentEvidence & {
    controlId: string;
  })[];
  const byControl = new Map<string, CurrentEvidence[]>();
  for (const row of rows) {
    const list = byControl.get(row.controlId) ?? [];
    list.push({ requirementIndex: row.requirementIndex, outcome: row.outcome, expiresAt: row.expiresAt });
    byControl.set(row.controlId, list);
  }
  return byControl;
}

/**
 * Derives the status of the given controls (all live ones when none are named) as of `now`, stores the ones
 * that changed and records each change in the history. Returns how many changed.
 */
export async function refreshControlStatuses(
  q: Queryable,
  options: { now: Date; cause: string; controlIds?: string[] },
): Promise<number> {
  // Two readers refreshing at once would both record the same change.
  await q.execute(sql`select pg_advisory_xact_lock(hashtext('attest.compliance.status'))`);
  const controls = await q
    .select({
      id: complianceControls.id,
      applicable: complianceControls.applicable,
      evidence: complianceControls.evidence,
      status: complianceControls.status,
    })
    .from(complianceControls)
    .where(
      options.controlIds === undefined
        ? isNull(complianceControls.retiredAt)
        : and(isNull(complianceControls.retiredAt), inArray(complianceControls.id, options.controlIds)),
    );
  const evidence = await currentEvidence(q, options.controlIds);
  let changed = 0;
  for (const control of controls) {
    const status = deriveControlStatus(control, evidence.get(control.id) ?? [], options.now);
    if (status === control.status) continue;
    changed += 1;
    await q
      .update(complianceControls)
      .set({ status, statusSince: options.now })
      .where(eq(complianceControls.id, control.id));
    await q.insert(complianceControlStatusHistory).values({
      controlId: control.id,
      fromStatus: control.status,
      toStatus: status,
      changedAt: options.now,
      cause: options.cause,
    });
  }
  return changed;
}
