import { desc, eq, max, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { disclosureAdvisories, disclosureProgramDraft, disclosureProgramVersions } from '../tables.ts';

/** The draft is one row with this id. */
export const DRAFT_ID = 1;

export type DraftRow = typeof disclosureProgramDraft.$inferSelect;
export type VersionRow = typeof disclosureProgramVersions.$inferSelect;

export async function findDraft(q: Queryable): Promise<DraftRow | undefined> {
  const [row] = await q.select().from(disclosureProgramDraft).where(eq(disclosureProgramDraft.id, DRAFT_ID));
  return row;
}

/** Creates the draft row unless one exists (a concurrent first read may have made it). */
export async function insertDraftIfMissing(q: Queryable, source: unknown): Promise<void> {
  await q.insert(disclosureProgramDraft).values({ id: DRAFT_ID, source }).onConflictDoNothing();
}

export async function saveDraft(q: Queryable, source: unknown, updatedBy: string | null): Promise<DraftRow> {
  const [row] = await q
    .insert(disclosureProgramDraft)
    .values({ id: DRAFT_ID, source, updatedBy })
    .onConflictDoUpdate({
      target: disclosureProgramDraft.id,
      set: { source, updatedBy, updatedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error('upsert into disclosure_program_draft returned nothing');
  return row;
}

export async function findNewestVersion(q: Queryable): Promise<VersionRow | undefined> {
  const [row] = await q
    .select()
    .from(disclosureProgramVersions)
    .orderBy(desc(disclosureProgramVersions.version))
    .limit(1);
  return row;
}

export async function findVersion(q: Queryable, version: number): Promise<VersionRow | undefined> {
  const [row] = await q
    .select()
    .from(disclosureProgramVersions)
    .where(eq(disclosureProgramVersions.version, version));
  return row;
}

export async function newestVersionNumber(q: Queryable): Promise<number> {
  const [row] = await q
    .select({ version: max(disclosureProgramVersions.version) })
    .from(disclosureProgramVersions);
  return row?.version ?? 0;
}

/**
 * Inserts this version number unless it exists. Returns the row when this call created it: two
 * processes racing to publish the same number get one winner (the primary key decides), never two rows.
 */
export async function insertVersionIfMissing(
  q: Queryable,
  values: { version: number; source: unknown; publishedBy: string | null },
): Promise<VersionRow | undefined> {
  const [row] = await q.insert(disclosureProgramVersions).values(values).onConflictDoNothing().returning();
  return row;
}

export async function listVersionRows(
  q: Queryable,
  limit: number,
): Promise<{ version: number; publishedAt: Date; publishedBy: string | null }[]> {
  return q
    .select({
      version: disclosureProgramVersions.version,
      publishedAt: disclosureProgramVersions.publishedAt,
      publishedBy: disclosureProgramVersions.publishedBy,
    })
    .from(disclosureProgramVersions)
    .orderBy(desc(disclosureProgramVersions.version))
    .limit(limit);
}

/** Whether any advisory is public: security.txt names the CSAF provider metadata only then. */
export async function hasPublishedAdvisory(q: Queryable): Promise<boolean> {
  const [row] = await q
    .select({ id: disclosureAdvisories.id })
    .from(disclosureAdvisories)
    .where(eq(disclosureAdvisories.status, 'published'))
    .limit(1);
  return row !== undefined;
}
