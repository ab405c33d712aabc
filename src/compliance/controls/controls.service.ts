import { and, asc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { Db } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import { findUserSummaries } from '../../identity/index.ts';
import { findControlItems } from '../evidence/evidence.store.ts';
import { refreshStatusesNow } from '../frameworks/frameworks.service.ts';
import { complianceControlStatusHistory, complianceControls, complianceMappings } from '../tables.ts';
import { currentEvidence, refreshControlStatuses } from './status.store.ts';
import type { ControlStatus } from './status.ts';

export type ControlFilter = {
  status?: ControlStatus | undefined;
  family?: string | undefined;
  frameworkId?: string | undefined;
  search?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** Live controls, by id, filtered; the cursor is the offset of the next page. */
export async function listControls(db: Db, filter: ControlFilter) {
  await refreshStatusesNow(db);
  const conditions: SQL[] = [isNull(complianceControls.retiredAt)];
  if (filter.status) conditions.push(eq(complianceControls.status, filter.status));
  if (filter.family) conditions.push(eq(complianceControls.family, filter.family));
  if (filter.frameworkId)
    conditions.push(
      sql`exists (select 1 from ${complianceMappings} m where m.control_id = ${complianceControls.id} and m.framework_id = ${filter.frameworkId})`,
    );
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    const titles = ['en', 'es', 'fr'].map((locale) =>
      ilike(sql`${complianceControls.title}->>${locale}`, pattern),
    );
    const condition = or(ilike(complianceControls.id, pattern), ...titles);
    if (condition) conditions.push(condition);
  }
  const offset = filter.cursor ? Number.parseInt(filter.cursor, 10) || 0 : 0;
  const rows = await db
    .select({
      id: complianceControls.id,
      family: complianceControls.family,
      title: complianceControls.title,
      status: complianceControls.status,
      statusSince: complianceControls.statusSince,
      ownerId: complianceControls.ownerId,
      applicable: complianceControls.applicable,
    })
    .from(complianceControls)
    .where(and(...conditions))
    .orderBy(asc(complianceControls.id))
    .limit(filter.limit + 1)
    .offset(offset);
  const items = rows.slice(0, filter.limit).map((row) => ({
    ...row,
    status: row.status as ControlStatus,
    statusSince: row.statusSince.toISOString(),
  }));
  return { items, nextCursor: rows.length > filter.limit ? String(offset + filter.limit) : null };
}

const OUT_OF_COMPLIANCE: readonly string[] = ['failing', 'stale'];

/** Milliseconds spent failing or stale, from the status history (the current spell counts up to now). */
export function timeOutOfCompliance(history: { toStatus: string; changedAt: Date }[], now: Date): number {
  let total = 0;
  history.forEach((change, index) => {
    if (!OUT_OF_COMPLIANCE.includes(change.toStatus)) return;
    const end = history[index + 1]?.changedAt ?? now;
    total += Math.max(0, end.getTime() - change.changedAt.getTime());
  });
  return total;
}

/** Everything about one control: the company's columns, mappings, required evidence, ledger items, history. */
export async function getControl(db: Db, controlId: string) {
  await refreshStatusesNow(db);
  const [control] = await db.select().from(complianceControls).where(eq(complianceControls.id, controlId));
  if (!control) throw problems.notFound(`Control ${controlId}`);
  const mappings = await db
    .select()
    .from(complianceMappings)
    .where(eq(complianceMappings.controlId, controlId))
    .orderBy(asc(complianceMappings.frameworkId), asc(complianceMappings.requirementId));
  const history = await db
    .select()
    .from(complianceControlStatusHistory)
    .where(eq(complianceControlStatusHistory.controlId, controlId))
    .orderBy(asc(complianceControlStatusHistory.changedAt), asc(complianceControlStatusHistory.id));
  const items = await findControlItems(db, controlId, 200);
  const current = (await currentEvidence(db, [controlId])).get(controlId) ?? [];
  const [owner] = control.ownerId ? await findUserSummaries(db, [control.ownerId]) : [];
  return {
    id: control.id,
    source: control.source,
    family: control.family,
    title: control.title,
    description: control.description,
    retired: control.retiredAt !== null,
    status: control.status as ControlStatus,
    statusSince: control.statusSince.toISOString(),
    owner: owner ? { id: owner.id, name: owner.name, email: owner.email } : null,
    applicable: control.applicable,
    notApplicableReason: control.notApplicableReason,
    implementationNotes: control.implementationNotes,
    requiredEvidence: control.evidence.map((required, index) => {
      const newest = current.find((item) => item.requirementIndex === index);
      return {
        index,
        name: required.name,
        freshnessDays: required.freshnessDays,
        expiresAt: newest?.expiresAt ?? null,
      };
    }),
    mappings: mappings.map(({ frameworkId, requirementId, relation, rationale, source }) => ({
      frameworkId,
      requirementId,
      relation,
      rationale,
      source,
    })),
    evidence: items.map(({ item, superseded }) => ({
      id: item.id,
      seq: item.seq,
      requirementIndex: item.requirementIndex,
      kind: item.kind,
      title: item.title,
      url: item.url,
      note: item.note,
      contentSha256: item.contentSha256,
      outcome: item.outcome,
      coveredFrom: item.coveredFrom,
      coveredTo: item.coveredTo,
      collectedAt: item.collectedAt,
      expiresAt: item.expiresAt,
      addedAt: item.addedAt,
      addedBy: item.addedByLabel,
      supersedes: item.supersedes,
      superseded: Boolean(superseded),
    })),
    history: history.map((change) => ({
      from: change.fromStatus,
      to: change.toStatus,
      at: change.changedAt.toISOString(),
      cause: change.cause,
    })),
    outOfComplianceMs: timeOutOfCompliance(history, new Date()),
  };
}

export type ControlChanges = {
  ownerId?: string | null | undefined;
  applicable?: boolean | undefined;
  notApplicableReason?: string | null | undefined;
  implementationNotes?: string | null | undefined;
};

const field = (pointer: string, detail: string) => problems.validation([{ in: 'body', pointer, detail }]);

/** The company's columns of a control; applicability re-derives the status (and records it) in the same commit. */
export async function updateControl(db: Db, actor: Actor, controlId: string, changes: ControlChanges) {
  await db.transaction(async (tx) => {
    const [control] = await tx.select().from(complianceControls).where(eq(complianceControls.id, controlId));
    if (!control || control.retiredAt) throw problems.notFound(`Control ${controlId}`);
    if (changes.ownerId) {
      const [owner] = await findUserSummaries(tx, [changes.ownerId]);
      if (owner?.status !== 'active') throw field('/ownerId', 'no active user has this id');
    }
    const applicable = changes.applicable ?? control.applicable;
    const reason =
      changes.notApplicableReason !== undefined ? changes.notApplicableReason : control.notApplicableReason;
    if (!applicable && !reason)
      throw field('/notApplicableReason', 'a control marked not applicable needs a justification');
    const next = {
      ownerId: changes.ownerId !== undefined ? changes.ownerId : control.ownerId,
      applicable,
      // The justification belongs to "not applicable" only: applying the control again clears it.
      notApplicableReason: applicable ? null : reason,
      implementationNotes:
        changes.implementationNotes !== undefined ? changes.implementationNotes : control.implementationNotes,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => next[key] !== control[key]);
    if (changed.length === 0) return;
    const now = new Date();
    await tx
      .update(complianceControls)
      .set({ ...next, updatedAt: now })
      .where(eq(complianceControls.id, controlId));
    await refreshControlStatuses(tx, { now, cause: 'control', controlIds: [controlId] });
    await recordAudit(tx, actor, {
      action: 'compliance.control.updated',
      targetType: 'compliance_control',
      targetId: controlId,
      details: {
        changed,
        ...(changed.includes('ownerId') ? { ownerId: next.ownerId, previousOwnerId: control.ownerId } : {}),
        ...(changed.includes('applicable') || changed.includes('notApplicableReason')
          ? { applicable: next.applicable, notApplicableReason: next.notApplicableReason }
          : {}),
      },
    });
  });
  return getControl(db, controlId);
}
