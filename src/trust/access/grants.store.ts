import { and, asc, desc, eq, gt, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { type LocalizedText, trustDocuments, trustGrants, trustVisitors } from '../tables.ts';

export type GrantRow = typeof trustGrants.$inferSelect;
export type GrantLevel = 'request' | 'nda';

export async function insertGrant(q: Queryable, row: typeof trustGrants.$inferInsert): Promise<GrantRow> {
  const [created] = await q.insert(trustGrants).values(row).returning();
  if (!created) throw new Error('grant insert returned nothing');
  return created;
}

export async function findGrant(q: Queryable, id: string): Promise<GrantRow | undefined> {
  const [row] = await q.select().from(trustGrants).where(eq(trustGrants.id, id));
  return row;
}

/** Grants of this visitor that are neither revoked nor expired at `now`, newest first. */
export async function findActiveGrants(q: Queryable, visitorId: string, now: Date): Promise<GrantRow[]> {
  return q
    .select()
    .from(trustGrants)
    .where(
      and(
        eq(trustGrants.visitorId, visitorId),
        isNull(trustGrants.revokedAt),
        gt(trustGrants.expiresAt, now),
      ),
    )
    .orderBy(desc(trustGrants.createdAt));
}

/** Marks a grant revoked unless it already is; returns the row only when this call revoked it. */
export async function markGrantRevoked(q: Queryable, id: string, at: Date): Promise<GrantRow | undefined> {
  const [row] = await q
    .update(trustGrants)
    .set({ revokedAt: at })
    .where(and(eq(trustGrants.id, id), isNull(trustGrants.revokedAt)))
    .returning();
  return row;
}

export type GrantListFilter = { status?: 'active' | 'expired' | 'revoked'; visitorId?: string };

/** Grants with their visitor, newest first; `limit + 1` rows so the caller knows whether more follow. */
export async function findGrantsWithVisitors(
  q: Queryable,
  filter: GrantListFilter,
  page: { limit: number; offset: number },
  now: Date,
) {
  const conditions: SQL[] = [];
  if (filter.visitorId) conditions.push(eq(trustGrants.visitorId, filter.visitorId));
  if (filter.status === 'revoked') conditions.push(sql`${trustGrants.revokedAt} is not null`);
  if (filter.status === 'active')
    conditions.push(and(isNull(trustGrants.revokedAt), gt(trustGrants.expiresAt, now)) as SQL);
  if (filter.status === 'expired')
    conditions.push(and(isNull(trustGrants.revokedAt), lte(trustGrants.expiresAt, now)) as SQL);
  return q
    .select({ grant: trustGrants, visitor: trustVisitors })
    .from(trustGrants)
    .innerJoin(trustVisitors, eq(trustVisitors.id, trustGrants.visitorId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(trustGrants.createdAt), desc(trustGrants.id))
    .limit(page.limit + 1)
    .offset(page.offset);
}

export type GatedDocument = {
  id: string;
  slug: string;
  title: LocalizedText;
  accessLevel: 'request' | 'nda';
  validUntil: string | null;
  position: number;
};

/** Every non-archived document behind a request or an NDA, in display order. */
export async function findGatedDocuments(q: Queryable): Promise<GatedDocument[]> {
  const rows = await q
    .select({
      id: trustDocuments.id,
      slug: trustDocuments.slug,
      title: trustDocuments.title,
      accessLevel: trustDocuments.accessLevel,
      validUntil: trustDocuments.validUntil,
      position: trustDocuments.position,
    })
    .from(trustDocuments)
    .where(and(isNull(trustDocuments.archivedAt), inArray(trustDocuments.accessLevel, ['request', 'nda'])))
    .orderBy(asc(trustDocuments.position), asc(trustDocuments.slug));
  return rows as GatedDocument[];
}

/** The admin's text in `locale`, else the default locale's, else any; '' when there is none at all. */
export function localizedText(text: LocalizedText, locale: Locale, defaultLocale: Locale): string {
  return text[locale] ?? text[defaultLocale] ?? Object.values(text).find((value) => value) ?? '';
}
