import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { Db, Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import { bundledCatalog, frameworkToOscal } from '../catalog/index.ts';
import { refreshControlStatuses } from '../controls/status.store.ts';
import {
  type ControlStatus,
  deriveRequirementStatus,
  type RequirementStatus,
  readiness,
} from '../controls/status.ts';
import {
  complianceCatalogUpgrades,
  complianceControls,
  complianceFrameworks,
  complianceMappings,
  complianceRequirements,
} from '../tables.ts';

/** Statuses as of now: evidence may have expired since the last write (time alone makes a control stale). */
export async function refreshStatusesNow(db: Db, now = new Date()): Promise<void> {
  await db.transaction((tx) => refreshControlStatuses(tx, { now, cause: 'time' }));
}

/** Per framework and requirement, the derived requirement status (live rows only). */
export async function requirementStatuses(
  q: Queryable,
): Promise<Map<string, Map<string, RequirementStatus>>> {
  const controls = await q
    .select({ id: complianceControls.id, status: complianceControls.status })
    .from(complianceControls)
    .where(isNull(complianceControls.retiredAt));
  const statusOf = new Map(controls.map((control) => [control.id, control.status as ControlStatus]));
  const mappings = await q.select().from(complianceMappings);
  const mapped = new Map<string, ControlStatus[]>();
  for (const mapping of mappings) {
    const status = statusOf.get(mapping.controlId);
    if (!status) continue;
    const key = `${mapping.frameworkId}\u0000${mapping.requirementId}`;
    const list = mapped.get(key) ?? [];
    list.push(status);
    mapped.set(key, list);
  }
  const requirements = await q
    .select({ frameworkId: complianceRequirements.frameworkId, id: complianceRequirements.id })
    .from(complianceRequirements)
    .where(isNull(complianceRequirements.retiredAt));
  const result = new Map<string, Map<string, RequirementStatus>>();
  for (const requirement of requirements) {
    const perFramework = result.get(requirement.frameworkId) ?? new Map<string, RequirementStatus>();
    perFramework.set(
      requirement.id,
      deriveRequirementStatus(mapped.get(`${requirement.frameworkId}\u0000${requirement.id}`) ?? []),
    );
    result.set(requirement.frameworkId, perFramework);
  }
  return result;
}

/** Every live framework with its readiness: the share of applicable requirements whose controls all pass. */
export async function listFrameworks(db: Db) {
  await refreshStatusesNow(db);
  const frameworks = await db
    .select()
    .from(complianceFrameworks)
    .where(isNull(complianceFrameworks.retiredAt))
    .orderBy(asc(complianceFrameworks.id));
  const statuses = await requirementStatuses(db);
  return frameworks.map((framework) => {
    const perRequirement = [...(statuses.get(framework.id)?.values() ?? [])];
    const counts = { met: 0, not_met: 0, not_applicable: 0, not_covered: 0 };
    for (const status of perRequirement) counts[status] += 1;
    return {
      id: framework.id,
      source: framework.source,
      version: framework.version,
      publisher: framework.publisher,
      name: framework.name,
      description: framework.description,
      enabled: framework.enabled,
      requirements: perRequirement.length,
      requirementStatuses: counts,
      readiness: readiness(perRequirement),
    };
  });
}

/** A company follows a framework or stops following it; its requirements and the controls are kept either way. */
export async function setFrameworkEnabled(db: Db, actor: Actor, frameworkId: string, enabled: boolean) {
  return db.transaction(async (tx) => {
    const [framework] = await tx
      .select()
      .from(complianceFrameworks)
      .where(and(eq(complianceFrameworks.id, frameworkId), isNull(complianceFrameworks.retiredAt)));
    if (!framework) throw problems.notFound(`Framework ${frameworkId}`);
    if (framework.enabled !== enabled) {
      await tx
        .update(complianceFrameworks)
        .set({ enabled, updatedAt: new Date() })
        .where(eq(complianceFrameworks.id, frameworkId));
      await recordAudit(tx, actor, {
        action: enabled ? 'compliance.framework.enabled' : 'compliance.framework.disabled',
        targetType: 'compliance_framework',
        targetId: frameworkId,
      });
    }
    return { id: frameworkId, enabled };
  });
}

/** The bundled framework as an OSCAL 1.0.6 catalog (the company's own frameworks are not exported yet). */
export function frameworkOscal(frameworkId: string, locale: 'en' | 'es' | 'fr') {
  const framework = bundledCatalog().frameworks.find((candidate) => candidate.id === frameworkId);
  if (!framework) throw problems.notFound(`Framework ${frameworkId}`);
  return frameworkToOscal(framework, { locale });
}

/** The catalog versions loaded, newest first, with what each changed (what the company is shown after an upgrade). */
export async function listCatalogUpgrades(db: Db, limit: number) {
  const rows = await db
    .select()
    .from(complianceCatalogUpgrades)
    .orderBy(desc(complianceCatalogUpgrades.id))
    .limit(limit);
  return rows.map((row) => ({
    fromVersion: row.fromVersion,
    toVersion: row.toVersion,
    loadedAt: row.loadedAt.toISOString(),
    changes: row.changes,
  }));
}
