import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { trustNdaAcceptances, trustNdaExemptions, trustNdaTemplates } from '../tables.ts';

export type NdaTemplateRow = typeof trustNdaTemplates.$inferSelect;
export type NdaAcceptanceRow = typeof trustNdaAcceptances.$inferSelect;
export type NdaExemptionRow = typeof trustNdaExemptions.$inferSelect;

/** The current template of each locale: its highest active version. */
export async function findCurrentNdaTemplates(q: Queryable): Promise<NdaTemplateRow[]> {
  const rows = await q
    .select()
    .from(trustNdaTemplates)
    .where(eq(trustNdaTemplates.active, true))
    .orderBy(trustNdaTemplates.locale, desc(trustNdaTemplates.version));
  const current = new Map<string, NdaTemplateRow>();
  for (const row of rows) if (!current.has(row.locale)) current.set(row.locale, row);
  return [...current.values()];
}

export async function findCurrentNdaTemplate(
  q: Queryable,
  locale: string,
): Promise<NdaTemplateRow | undefined> {
  const [row] = await q
    .select()
    .from(trustNdaTemplates)
    .where(and(eq(trustNdaTemplates.locale, locale), eq(trustNdaTemplates.active, true)))
    .orderBy(desc(trustNdaTemplates.version))
    .limit(1);
  return row;
}

export async function findNdaTemplate(q: Queryable, id: string): Promise<NdaTemplateRow | undefined> {
  const [row] = await q.select().from(trustNdaTemplates).where(eq(trustNdaTemplates.id, id));
  return row;
}

export async function findNdaTemplates(q: Queryable, locale?: string): Promise<NdaTemplateRow[]> {
  return q
    .select()
    .from(trustNdaTemplates)
    .where(locale ? eq(trustNdaTemplates.locale, locale) : undefined)
    .orderBy(trustNdaTemplates.locale, desc(trustNdaTemplates.version));
}

/**
 * Adds the next version for a locale. The unique (locale, version) constraint makes two concurrent
 * creations fail rather than share a number.
 */
export async function insertNdaTemplate(
  q: Queryable,
  row: { locale: string; title: string; body: string; sha256: string; createdBy: string | null },
): Promise<NdaTemplateRow> {
  const [created] = await q
    .insert(trustNdaTemplates)
    .values({
      ...row,
      version: sql`(select coalesce(max(${trustNdaTemplates.version}), 0) + 1 from ${trustNdaTemplates} where ${trustNdaTemplates.locale} = ${row.locale})`,
    })
    .returning();
  if (!created) throw new Error('NDA template insert returned nothing');
  return created;
}

export async function countAcceptancesOf(q: Queryable, templateId: string): Promise<number> {
  const [row] = await q
    .select({ count: sql<number>`count(*)::int` })
    .from(trustNdaAcceptances)
    .where(eq(trustNdaAcceptances.templateId, templateId));
  return row?.count ?? 0;
}

/** Whether the visitor accepted the current version of any locale's template. */
export async function hasAcceptedCurrentNda(q: Queryable, visitorId: string): Promise<boolean> {
  const current = await findCurrentNdaTemplates(q);
  if (current.length === 0) return false;
  const [row] = await q
    .select({ id: trustNdaAcceptances.id })
    .from(trustNdaAcceptances)
    .where(
      and(
        eq(trustNdaAcceptances.visitorId, visitorId),
        inArray(
          trustNdaAcceptances.templateId,
          current.map((template) => template.id),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function insertNdaAcceptance(
  q: Queryable,
  row: typeof trustNdaAcceptances.$inferInsert,
): Promise<NdaAcceptanceRow> {
  const [created] = await q.insert(trustNdaAcceptances).values(row).returning();
  if (!created) throw new Error('NDA acceptance insert returned nothing');
  return created;
}

/** The domain part of an address, lowercased (`Ana@Example.COM` → `example.com`). */
export function domainOf(email: string): string {
  return (email.split('@').pop() ?? '').toLowerCase();
}

export async function findNdaExemption(q: Queryable, domain: string): Promise<NdaExemptionRow | undefined> {
  const [row] = await q.select().from(trustNdaExemptions).where(eq(trustNdaExemptions.domain, domain));
  return row;
}

export async function findNdaExemptions(q: Queryable): Promise<NdaExemptionRow[]> {
  return q.select().from(trustNdaExemptions).orderBy(trustNdaExemptions.domain);
}

export async function insertNdaExemption(
  q: Queryable,
  row: typeof trustNdaExemptions.$inferInsert,
): Promise<NdaExemptionRow | undefined> {
  const [created] = await q.insert(trustNdaExemptions).values(row).onConflictDoNothing().returning();
  return created;
}

export async function deleteNdaExemption(q: Queryable, id: string): Promise<NdaExemptionRow | undefined> {
  const [deleted] = await q.delete(trustNdaExemptions).where(eq(trustNdaExemptions.id, id)).returning();
  return deleted;
}
