import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { canonicalJson, recordAudit } from '../../audit/index.ts';
import { sha256Hex } from '../../core/crypto/index.ts';
import type { Db, Tx } from '../../core/db/index.ts';
import { systemActor } from '../../core/http/actor.ts';
import type { Catalog } from '../catalog/index.ts';
import { refreshControlStatuses } from '../controls/status.store.ts';
import {
  complianceCatalogState,
  complianceCatalogUpgrades,
  complianceControls,
  complianceFrameworks,
  complianceMappings,
  complianceRequirements,
} from '../tables.ts';

/** The catalog's version: SHA-256 of its canonical JSON, so any edit to the YAML is a new version. */
export function catalogVersion(catalog: Catalog): string {
  return sha256Hex(canonicalJson(catalog));
}

export type CatalogChanges = {
  from: string | null;
  to: string;
  added: { frameworks: string[]; requirements: string[]; controls: string[] };
  retired: { frameworks: string[]; requirements: string[]; controls: string[] };
  /** Rows whose texts or evidence changed. */
  updated: { frameworks: string[]; requirements: string[]; controls: string[] };
  mappings: { added: number; removed: number };
};

const CHUNK = 400;
function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Ids in `after` not in `before`, in `before` not in `after`, and in both whose content differs. */
function diff(before: Map<string, string>, after: Map<string, string>) {
  const added = [...after.keys()].filter((key) => !before.has(key));
  const retired = [...before.keys()].filter((key) => !after.has(key));
  const updated = [...after.keys()].filter((key) => before.has(key) && before.get(key) !== after.get(key));
  return { added, retired, updated };
}

/**
 * Loads the catalog into the database when its version differs from the one last loaded: upserts frameworks,
 * requirements and controls (texts, evidence, mappings), marks the catalog rows the new version drops as
 * retired, and leaves every company column alone (enabled frameworks, owners, applicability, notes, evidence,
 * the company's own rows). Serialised by an advisory lock, so processes starting together load it once.
 * Returns what changed (null when the catalog was already loaded); the change is audited.
 */
export async function syncCatalog(
  db: Db,
  catalog: Catalog,
  now = new Date(),
): Promise<CatalogChanges | null> {
  const version = catalogVersion(catalog);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('attest.compliance.catalog'))`);
    const [state] = await tx.select().from(complianceCatalogState).where(eq(complianceCatalogState.id, 1));
    if (state?.version === version) return null;
    const changes = await applyCatalog(tx, catalog, state?.version ?? null, version, now);
    await tx
      .insert(complianceCatalogState)
      .values({ id: 1, version, loadedAt: now })
      .onConflictDoUpdate({ target: complianceCatalogState.id, set: { version, loadedAt: now } });
    await tx.insert(complianceCatalogUpgrades).values({
      fromVersion: changes.from,
      toVersion: version,
      loadedAt: now,
      changes: changes as unknown as Record<string, unknown>,
    });
    await refreshControlStatuses(tx, { now, cause: 'catalog' });
    await recordAudit(tx, systemActor('catalog'), {
      action: state ? 'compliance.catalog.upgraded' : 'compliance.catalog.loaded',
      targetType: 'compliance_catalog',
      targetId: version,
      details: summarize(changes),
    });
    return changes;
  });
}

/** The audit entry keeps the ids of what was added or retired (bounded) and counts of the rest. */
function summarize(changes: CatalogChanges): Record<string, unknown> {
  const bounded = (ids: string[]) => ({ count: ids.length, ids: ids.slice(0, 50) });
  return {
    from: changes.from,
    to: changes.to,
    addedFrameworks: bounded(changes.added.frameworks),
    addedControls: bounded(changes.added.controls),
    addedRequirements: changes.added.requirements.length,
    retiredFrameworks: bounded(changes.retired.frameworks),
    retiredControls: bounded(changes.retired.controls),
    retiredRequirements: bounded(changes.retired.requirements),
    updatedControls: changes.updated.controls.length,
    updatedRequirements: changes.updated.requirements.length,
    mappings: changes.mappings,
  };
}

async function applyCatalog(tx: Tx, catalog: Catalog, from: string | null, to: string, now: Date) {
  const beforeFrameworks = await tx
    .select()
    .from(complianceFrameworks)
    .where(eq(complianceFrameworks.source, 'catalog'));
  const beforeRequirements = await tx
    .select()
    .from(complianceRequirements)
    .where(eq(complianceRequirements.source, 'catalog'));
  const beforeControls = await tx
    .select()
    .from(complianceControls)
    .where(eq(complianceControls.source, 'catalog'));
  const live = <T extends { retiredAt: Date | null }>(rows: T[]) => rows.filter((row) => !row.retiredAt);

  const frameworkRows = catalog.frameworks.map((framework) => ({
    id: framework.id,
    source: 'catalog',
    version: framework.version,
    publisher: framework.publisher,
    name: framework.name,
    description: framework.description,
  }));
  const requirementRows = catalog.frameworks.flatMap((framework) =>
    framework.requirements.map((requirement, position) => ({
      frameworkId: framework.id,
      id: requirement.id,
      source: 'catalog',
      groupId: requirement.group,
      position,
      title: requirement.title,
      description: requirement.description,
    })),
  );
  const controlRows = catalog.controls.map((control) => ({
    id: control.id,
    source: 'catalog',
    family: control.family,
    title: control.title,
    description: control.description,
    evidence: control.evidence,
  }));

  const frameworkDiff = diff(
    new Map(
      live(beforeFrameworks).map((row) => [row.id, canonicalJson([row.name, row.description, row.version])]),
    ),
    new Map(frameworkRows.map((row) => [row.id, canonicalJson([row.name, row.description, row.version])])),
  );
  const requirementKey = (row: { frameworkId: string; id: string }) => `${row.frameworkId} ${row.id}`;
  const requirementDiff = diff(
    new Map(
      live(beforeRequirements).map((row) => [
        requirementKey(row),
        canonicalJson([row.title, row.description, row.groupId]),
      ]),
    ),
    new Map(
      requirementRows.map((row) => [
        requirementKey(row),
        canonicalJson([row.title, row.description, row.groupId]),
      ]),
    ),
  );
  const controlDiff = diff(
    new Map(
      live(beforeControls).map((row) => [
        row.id,
        canonicalJson([row.title, row.description, row.evidence, row.family]),
      ]),
    ),
    new Map(
      controlRows.map((row) => [
        row.id,
        canonicalJson([row.title, row.description, row.evidence, row.family]),
      ]),
    ),
  );

  for (const rows of chunks(frameworkRows))
    await tx
      .insert(complianceFrameworks)
      .values(rows)
      .onConflictDoUpdate({
        target: complianceFrameworks.id,
        set: {
          version: sql`excluded.version`,
          publisher: sql`excluded.publisher`,
          name: sql`excluded.name`,
          description: sql`excluded.description`,
          retiredAt: null,
          updatedAt: now,
        },
      });
  for (const rows of chunks(requirementRows))
    await tx
      .insert(complianceRequirements)
      .values(rows)
      .onConflictDoUpdate({
        target: [complianceRequirements.frameworkId, complianceRequirements.id],
        set: {
          groupId: sql`excluded.group_id`,
          position: sql`excluded.position`,
          title: sql`excluded.title`,
          description: sql`excluded.description`,
          retiredAt: null,
        },
      });
  for (const rows of chunks(controlRows))
    await tx
      .insert(complianceControls)
      .values(rows.map((row) => ({ ...row, statusSince: now })))
      .onConflictDoUpdate({
        target: complianceControls.id,
        set: {
          family: sql`excluded.family`,
          title: sql`excluded.title`,
          description: sql`excluded.description`,
          evidence: sql`excluded.evidence`,
          retiredAt: null,
        },
      });

  // Retire, never delete: the company's evidence, notes and history keep pointing at these rows.
  const retire = async () => {
    await tx
      .update(complianceFrameworks)
      .set({ retiredAt: now })
      .where(
        and(
          eq(complianceFrameworks.source, 'catalog'),
          isNull(complianceFrameworks.retiredAt),
          notInArray(
            complianceFrameworks.id,
            frameworkRows.map((row) => row.id),
          ),
        ),
      );
    for (const key of requirementDiff.retired) {
      const [frameworkId, ...rest] = key.split(' ');
      await tx
        .update(complianceRequirements)
        .set({ retiredAt: now })
        .where(
          and(
            eq(complianceRequirements.frameworkId, frameworkId ?? ''),
            eq(complianceRequirements.id, rest.join(' ')),
          ),
        );
    }
    if (controlDiff.retired.length > 0)
      await tx
        .update(complianceControls)
        .set({ retiredAt: now })
        .where(
          and(
            eq(complianceControls.source, 'catalog'),
            notInArray(
              complianceControls.id,
              controlRows.map((row) => row.id),
            ),
          ),
        );
  };
  await retire();

  // Catalog mappings are the catalog's to replace; the company's own mappings are kept (and win a clash).
  const removed = await tx
    .delete(complianceMappings)
    .where(eq(complianceMappings.source, 'catalog'))
    .returning({
      controlId: complianceMappings.controlId,
      frameworkId: complianceMappings.frameworkId,
      requirementId: complianceMappings.requirementId,
    });
  const mappingRows = catalog.controls.flatMap((control) =>
    control.mappings.map((mapping) => ({
      controlId: control.id,
      frameworkId: mapping.framework,
      requirementId: mapping.requirement,
      source: 'catalog',
      relation: mapping.relation,
      rationale: mapping.rationale,
    })),
  );
  for (const rows of chunks(mappingRows))
    await tx.insert(complianceMappings).values(rows).onConflictDoNothing();
  const mappingKey = (row: { controlId: string; frameworkId: string; requirementId: string }) =>
    `${row.controlId} ${row.frameworkId} ${row.requirementId}`;
  const oldMappings = new Set(removed.map(mappingKey));
  const newMappings = new Set(mappingRows.map(mappingKey));

  return {
    from,
    to,
    added: {
      frameworks: frameworkDiff.added,
      requirements: requirementDiff.added,
      controls: controlDiff.added,
    },
    retired: {
      frameworks: frameworkDiff.retired,
      requirements: requirementDiff.retired,
      controls: controlDiff.retired,
    },
    updated: {
      frameworks: frameworkDiff.updated,
      requirements: requirementDiff.updated,
      controls: controlDiff.updated,
    },
    mappings: {
      added: [...newMappings].filter((key) => !oldMappings.has(key)).length,
      removed: [...oldMappings].filter((key) => !newMappings.has(key)).length,
    },
  } satisfies CatalogChanges;
}
