import { and, eq, isNotNull, notInArray, notLike, sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.ts';
import { currentEmailHashPrefix, DecryptionError } from '../../core/crypto/index.ts';
import { disclosureReports, disclosureResearcherLinks } from '../tables.ts';
import { openReporter, reporterEmailHash } from './reports.sealing.ts';

/**
 * Brings every stored reporter hash to the current form: reports made before hashes were keyed (plain
 * SHA-256 of the address) or under a key since rotated away get the keyed hash of the address in their
 * sealed reporter. Portal links carry the same hash, so each old value is mapped to its new one; a link
 * whose hash no longer matches any report (it could not be mapped) is removed: the researcher asks for a
 * new one. Runs at every start and is idempotent: with nothing to do it is one indexed query.
 *
 * A report whose reporter cannot be opened (its key is not in the keyring) keeps its old hash and is
 * counted as `unreadable`; it is rehashed at the first start with that key back among the previous keys.
 */
export async function rehashReporterEmails(
  ctx: AppContext,
): Promise<{ rehashed: number; unreadable: number; linksRemoved: number }> {
  const db = ctx.database.db;
  const prefix = `${currentEmailHashPrefix(ctx.keyring)}%`;
  const stale = await db
    .select({
      id: disclosureReports.id,
      hash: disclosureReports.reporterEmailHash,
      reporterSealed: disclosureReports.reporterSealed,
    })
    .from(disclosureReports)
    .where(
      and(
        isNotNull(disclosureReports.reporterEmailHash),
        notLike(disclosureReports.reporterEmailHash, prefix),
      ),
    );

  let rehashed = 0;
  let unreadable = 0;
  const mapped = new Map<string, string>();
  for (const row of stale) {
    const email = readEmail(ctx, row.id, row.reporterSealed);
    if (!email || !row.hash) {
      unreadable += 1;
      continue;
    }
    const hash = reporterEmailHash(ctx.keyring, email);
    await db
      .update(disclosureReports)
      .set({ reporterEmailHash: hash })
      .where(and(eq(disclosureReports.id, row.id), eq(disclosureReports.reporterEmailHash, row.hash)));
    mapped.set(row.hash, hash);
    rehashed += 1;
  }
  for (const [from, to] of mapped) {
    await db
      .update(disclosureResearcherLinks)
      .set({ emailHash: to })
      .where(eq(disclosureResearcherLinks.emailHash, from));
  }
  const stillUsed = db
    .select({ hash: sql`${disclosureReports.reporterEmailHash}` })
    .from(disclosureReports)
    .where(isNotNull(disclosureReports.reporterEmailHash));
  const removed = await db
    .delete(disclosureResearcherLinks)
    .where(
      and(
        notLike(disclosureResearcherLinks.emailHash, prefix),
        notInArray(disclosureResearcherLinks.emailHash, stillUsed),
      ),
    )
    .returning({ id: disclosureResearcherLinks.id });
  return { rehashed, unreadable, linksRemoved: removed.length };
}

function readEmail(ctx: AppContext, reportId: string, sealed: string | null): string | undefined {
  try {
    return openReporter(ctx.keyring, reportId, sealed).email;
  } catch (error) {
    if (error instanceof DecryptionError) return undefined;
    throw error;
  }
}
