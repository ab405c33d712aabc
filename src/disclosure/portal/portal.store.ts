import { and, count, eq, gt, gte, isNull } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { disclosureReports, disclosureResearcherLinks } from '../tables.ts';

export type ResearcherLinkRow = typeof disclosureResearcherLinks.$inferSelect;

/** A portal link that has not expired, by its token's hash. */
export async function findLiveLinkByHash(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<ResearcherLinkRow | undefined> {
  const [row] = await q
    .select()
    .from(disclosureResearcherLinks)
    .where(
      and(eq(disclosureResearcherLinks.tokenHash, tokenHash), gt(disclosureResearcherLinks.expiresAt, now)),
    );
  return row;
}

/** Records the first use of a link (it stays valid until it expires). */
export async function markLinkUsed(q: Queryable, id: string, now: Date): Promise<void> {
  await q
    .update(disclosureResearcherLinks)
    .set({ usedAt: now })
    .where(and(eq(disclosureResearcherLinks.id, id), isNull(disclosureResearcherLinks.usedAt)));
}

/** Links issued to one address since `since`: the portal form's per-address limit. */
export async function countLinksSince(q: Queryable, emailHash: string, since: Date): Promise<number> {
  const [row] = await q
    .select({ total: count() })
    .from(disclosureResearcherLinks)
    .where(
      and(
        eq(disclosureResearcherLinks.emailHash, emailHash),
        gte(disclosureResearcherLinks.createdAt, since),
      ),
    );
  return row?.total ?? 0;
}

/** One report of an address, by its number: never a report sent from another address. */
export async function findReportOfAddress(q: Queryable, emailHash: string, number: number) {
  const [row] = await q
    .select()
    .from(disclosureReports)
    .where(and(eq(disclosureReports.reporterEmailHash, emailHash), eq(disclosureReports.number, number)));
  return row;
}

/** Whether any report came from this address (and was not erased since). */
export async function addressHasReports(q: Queryable, emailHash: string): Promise<boolean> {
  const [row] = await q
    .select({ total: count() })
    .from(disclosureReports)
    .where(eq(disclosureReports.reporterEmailHash, emailHash));
  return (row?.total ?? 0) > 0;
}
