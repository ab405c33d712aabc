import { and, count, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { defaultSections } from './content/defaults.ts';
import {
  trustAccessRequests,
  trustDocuments,
  trustProfile,
  trustPublications,
  trustSections,
} from './tables.ts';

/** What the home page asks of the trust center: counts and onboarding facts. */

/** Documents whose validity ends within this many days (or has ended) need a new version. */
export const EXPIRING_WITHIN_DAYS = 30;

export async function countPendingAccessRequests(q: Queryable): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(trustAccessRequests)
    .where(eq(trustAccessRequests.status, 'pending'));
  return Number(row?.n ?? 0);
}

export async function countExpiringDocuments(q: Queryable, now: Date): Promise<number> {
  const limit = new Date(now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000).toISOString().slice(0, 10);
  const [row] = await q
    .select({ n: count() })
    .from(trustDocuments)
    .where(and(isNull(trustDocuments.archivedAt), lte(trustDocuments.validUntil, limit)));
  return Number(row?.n ?? 0);
}

export async function trustSitePublished(q: Queryable): Promise<boolean> {
  const [row] = await q.select({ version: trustPublications.version }).from(trustPublications).limit(1);
  return row !== undefined;
}

const OVERVIEW_KINDS = ['narrative', 'how_compliant', 'out_of_compliance'] as const;

/**
 * The overview texts a fresh install starts with make claims the organization must check: they count as
 * reviewed once none is left word for word as shipped. Before the draft is first opened (and seeded with
 * the shipped texts) nothing was reviewed.
 */
export async function defaultTextsReviewed(q: Queryable): Promise<boolean> {
  const [profile] = await q.select({ id: trustProfile.id }).from(trustProfile).limit(1);
  if (!profile) return false;
  const shipped = new Set(
    defaultSections
      .filter((section) => (OVERVIEW_KINDS as readonly string[]).includes(section.kind))
      .map((section) => section.body.en ?? ''),
  );
  const rows = await q
    .select({ body: sql<string | null>`${trustSections.body}->>'en'` })
    .from(trustSections)
    .where(sql`${trustSections.kind} in ('narrative','how_compliant','out_of_compliance')`);
  return !rows.some((row) => row.body !== null && shipped.has(row.body));
}
