import { and, desc, eq, inArray, isNull, like, lt, ne, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { disclosureAdvisories, disclosureAdvisoryRevisions, disclosureReports } from '../tables.ts';

export type AdvisoryRow = typeof disclosureAdvisories.$inferSelect;
export type NewAdvisoryRow = typeof disclosureAdvisories.$inferInsert;

export async function insertAdvisory(q: Queryable, values: NewAdvisoryRow): Promise<AdvisoryRow | undefined> {
  const [row] = await q
    .insert(disclosureAdvisories)
    .values(values)
    .onConflictDoNothing({ target: disclosureAdvisories.identifier })
    .returning();
  return row;
}

export async function updateAdvisoryRow(
  q: Queryable,
  advisoryId: string,
  values: Partial<NewAdvisoryRow>,
): Promise<AdvisoryRow | undefined> {
  const [row] = await q
    .update(disclosureAdvisories)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(disclosureAdvisories.id, advisoryId))
    .returning();
  return row;
}

export async function deleteAdvisoryRow(q: Queryable, advisoryId: string): Promise<void> {
  await q.delete(disclosureAdvisories).where(eq(disclosureAdvisories.id, advisoryId));
}

/** An advisory by id; `lock` holds the row until the transaction ends (serialises status changes). */
export async function findAdvisory(
  q: Queryable,
  advisoryId: string,
  options: { lock?: boolean } = {},
): Promise<AdvisoryRow | undefined> {
  const query = q.select().from(disclosureAdvisories).where(eq(disclosureAdvisories.id, advisoryId));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function findPublishedAdvisory(
  q: Queryable,
  identifier: string,
): Promise<AdvisoryRow | undefined> {
  const [row] = await q
    .select()
    .from(disclosureAdvisories)
    .where(
      and(eq(disclosureAdvisories.identifier, identifier), eq(disclosureAdvisories.status, 'published')),
    );
  return row;
}

/** Every published advisory, newest publication first. */
export async function findPublishedAdvisories(q: Queryable): Promise<AdvisoryRow[]> {
  return q
    .select()
    .from(disclosureAdvisories)
    .where(eq(disclosureAdvisories.status, 'published'))
    .orderBy(desc(disclosureAdvisories.publishedAt), desc(disclosureAdvisories.identifier));
}

/** Published advisories without a frozen revision: published before revisions were frozen. */
export async function findUnfrozenPublishedAdvisories(q: Queryable): Promise<AdvisoryRow[]> {
  return q
    .select()
    .from(disclosureAdvisories)
    .where(
      and(
        eq(disclosureAdvisories.status, 'published'),
        notExists(
          q
            .select({ id: disclosureAdvisoryRevisions.id })
            .from(disclosureAdvisoryRevisions)
            .where(eq(disclosureAdvisoryRevisions.advisoryId, disclosureAdvisories.id)),
        ),
      ),
    );
}

/**
 * What the public pages depend on, in one cheap query: the number of published advisories and the last
 * change among them. Part of every page-cache key, so a publication or revision shows at once.
 */
export async function publishedStamp(q: Queryable): Promise<string> {
  const [row] = await q
    .select({
      count: sql<number>`count(*)::int`,
      last: sql<string | null>`max(${disclosureAdvisories.updatedAt})::text`,
    })
    .from(disclosureAdvisories)
    .where(eq(disclosureAdvisories.status, 'published'));
  return `${row?.count ?? 0}@${row?.last ?? '-'}`;
}

export type AdvisoryFilter = {
  search?: string;
  status?: string;
  /** Keyset cursor: rows created before this (createdAt, id). */
  before?: { createdAt: Date; id: string };
  limit: number;
};

/** Advisories, newest first, filtered and paged by keyset. */
export async function findAdvisories(q: Queryable, filter: AdvisoryFilter): Promise<AdvisoryRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.status) conditions.push(eq(disclosureAdvisories.status, filter.status as AdvisoryRow['status']));
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        sql`${disclosureAdvisories.identifier} ilike ${pattern}`,
        sql`${disclosureAdvisories.cveId} ilike ${pattern}`,
        sql`${disclosureAdvisories.title} ilike ${pattern}`,
        sql`${disclosureAdvisories.summary} ilike ${pattern}`,
      ),
    );
  }
  if (filter.before) {
    const { createdAt, id } = filter.before;
    conditions.push(
      or(
        lt(disclosureAdvisories.createdAt, createdAt),
        and(eq(disclosureAdvisories.createdAt, createdAt), lt(disclosureAdvisories.id, id)),
      ),
    );
  }
  return q
    .select()
    .from(disclosureAdvisories)
    .where(and(...conditions))
    .orderBy(desc(disclosureAdvisories.createdAt), desc(disclosureAdvisories.id))
    .limit(filter.limit);
}

/** The highest sequence number used with this identifier prefix and year (0 when none). */
export async function lastIdentifierNumber(q: Queryable, prefix: string, year: number): Promise<number> {
  const rows = await q
    .select({ identifier: disclosureAdvisories.identifier })
    .from(disclosureAdvisories)
    .where(like(disclosureAdvisories.identifier, `${prefix}-${year}-%`));
  return rows.reduce((highest, row) => Math.max(highest, Number(row.identifier.split('-').at(-1)) || 0), 0);
}

export async function reportExists(q: Queryable, reportId: string): Promise<boolean> {
  const [row] = await q
    .select({ id: disclosureReports.id })
    .from(disclosureReports)
    .where(eq(disclosureReports.id, reportId));
  return row !== undefined;
}

export type CreditedReport = Pick<
  typeof disclosureReports.$inferSelect,
  'id' | 'creditPreference' | 'reporterSealed' | 'resolvedAt' | 'disclosedAt'
>;

/**
 * Resolved or disclosed reports whose researcher agreed to be credited (not anonymous, not erased, an
 * identity on file): the hall of fame's raw material.
 */
export async function findCreditedReports(q: Queryable): Promise<CreditedReport[]> {
  return q
    .select({
      id: disclosureReports.id,
      creditPreference: disclosureReports.creditPreference,
      reporterSealed: disclosureReports.reporterSealed,
      resolvedAt: disclosureReports.resolvedAt,
      disclosedAt: disclosureReports.disclosedAt,
    })
    .from(disclosureReports)
    .where(
      and(
        inArray(disclosureReports.status, ['resolved', 'disclosed']),
        ne(disclosureReports.creditPreference, 'anonymous'),
        isNull(disclosureReports.erasedAt),
        sql`${disclosureReports.reporterSealed} is not null`,
      ),
    );
}

/** What the hall of fame depends on: the credited reports' count and last change. */
export async function creditedStamp(q: Queryable): Promise<string> {
  const [row] = await q
    .select({
      count: sql<number>`count(*)::int`,
      last: sql<string | null>`max(${disclosureReports.updatedAt})::text`,
    })
    .from(disclosureReports)
    .where(inArray(disclosureReports.status, ['resolved', 'disclosed']));
  return `${row?.count ?? 0}@${row?.last ?? '-'}`;
}
