import { isDeepStrictEqual } from 'node:util';
import { desc, eq, max } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { getOrganization } from '../../core/settings/index.ts';
import { ensureDraftSeeded, getDraftProfileRow } from '../content/content.service.ts';
import { readDraftContent, toSiteProfile } from '../content/content.store.ts';
import { listDocumentsForPublication } from '../documents/documents.service.ts';
import { notifySubscribers } from '../subscriptions/subscriptions.jobs.ts';
import { trustPublications } from '../tables.ts';
import { type PublishedSite, SiteSnapshot } from './publication.schemas.ts';
import { changesBetween } from './publication-changes.ts';

export type { PublishedSite } from './publication.schemas.ts';

export type PublishedListener = (site: PublishedSite, ctx: AppContext) => void;

/**
 * How long a process trusts its copy of the latest publication before asking the database again.
 * A publish in this process is seen at once (listeners); one made by another process sharing the
 * PostgreSQL database is seen within this many milliseconds.
 */
const REVALIDATE_MS = 2_000;

type Memo = {
  site: PublishedSite | undefined;
  checkedAt: number;
  pending?: Promise<PublishedSite | undefined>;
};
const memos = new WeakMap<AppContext, Memo>();
const listeners = new Set<PublishedListener>();

/**
 * The latest publication, as visitors see it, or undefined before the first publish: with the
 * organization's current name and security contact (core settings are their one place, so a change
 * there shows without a new publication). Served from memory; see REVALIDATE_MS.
 */
export async function getPublishedSite(ctx: AppContext): Promise<PublishedSite | undefined> {
  const [site, organization] = await Promise.all([readPublishedSite(ctx), getOrganization(ctx)]);
  if (!site) return undefined;
  // Both come from memory and change rarely: the merged view is built once per pair, not per request.
  const merged = mergedSites.get(site);
  if (merged?.organization === organization) return merged.view;
  const view = {
    ...site,
    profile: {
      ...site.profile,
      companyName: organization.name,
      securityContact: organization.securityContact ?? site.profile.securityContact,
    },
  };
  mergedSites.set(site, { organization, view });
  return view;
}
const mergedSites = new WeakMap<PublishedSite, { organization: object; view: PublishedSite }>();

/** The cache key of a publication as shown: its version and the organization facts it carries. */
export function publishedSiteKey(site: PublishedSite): string {
  return `${site.version}:${site.profile.companyName}:${site.profile.securityContact ?? '-'}`;
}

async function readPublishedSite(ctx: AppContext): Promise<PublishedSite | undefined> {
  const memo = memos.get(ctx);
  if (memo && Date.now() - memo.checkedAt < REVALIDATE_MS) return memo.site;
  if (memo?.pending) return memo.pending;
  const current = memo ?? { site: undefined, checkedAt: 0 };
  memos.set(ctx, current);
  current.pending = refresh(ctx, current).finally(() => {
    current.pending = undefined;
  });
  return current.pending;
}

async function refresh(ctx: AppContext, memo: Memo): Promise<PublishedSite | undefined> {
  const db = ctx.database.db;
  const [latest] = await db.select({ version: max(trustPublications.version) }).from(trustPublications);
  const version = latest?.version ?? null;
  if (version !== null && memo.site?.version !== version) memo.site = await loadPublication(db, version);
  memo.checkedAt = Date.now();
  return memo.site;
}

async function loadPublication(q: Queryable, version: number): Promise<PublishedSite | undefined> {
  const [row] = await q.select().from(trustPublications).where(eq(trustPublications.version, version));
  if (!row) return undefined;
  // Stored JSON is an edge too: a snapshot from an older release must still parse, or fail loudly here.
  return {
    ...SiteSnapshot.parse(row.snapshot),
    version: row.version,
    publishedAt: row.publishedAt.toISOString(),
  };
}

/** Calls `listener` after every publish in this process (page caches use it). Returns an unsubscribe. */
export function onPublished(listener: PublishedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The draft as it would be published now: profile, content and documents. Seeds defaults on a fresh install. */
export async function buildDraftSnapshot(ctx: AppContext, q: Queryable): Promise<SiteSnapshot> {
  await ensureDraftSeeded(ctx, q);
  const profile = await getDraftProfileRow(ctx, q);
  const content = await readDraftContent(q);
  const documents = await listDocumentsForPublication(q);
  const organization = await getOrganization(ctx, q);
  const siteProfile = {
    ...toSiteProfile(profile),
    companyName: organization.name,
    securityContact: organization.securityContact ?? profile.securityContact,
  };
  return SiteSnapshot.parse({ profile: siteProfile, ...content, documents });
}

/**
 * Snapshots the draft into a new publication and records `trust.published`, in one transaction; then
 * tells listeners. Visitors see nothing of the draft before this.
 */
export async function publishSite(
  ctx: AppContext,
  actor: Actor,
): Promise<{ version: number; publishedAt: string }> {
  const site = await ctx.database.db.transaction(async (tx) => {
    const snapshot = await buildDraftSnapshot(ctx, tx);
    const [previous] = await tx.select({ version: max(trustPublications.version) }).from(trustPublications);
    const previousSite = previous?.version ? await loadPublication(tx, previous.version) : undefined;
    const [row] = await tx
      .insert(trustPublications)
      .values({ snapshot, publishedBy: actor.type === 'user' ? actor.user.id : null })
      .returning();
    if (!row) throw new Error('insert into trust_publications returned nothing');
    await recordAudit(tx, actor, {
      action: 'trust.published',
      targetType: 'trust_publication',
      targetId: String(row.version),
      details: {
        version: row.version,
        certifications: snapshot.certifications.length,
        sections: snapshot.sections.length,
        faqs: snapshot.faqs.length,
        subprocessors: snapshot.subprocessors.length,
        updates: snapshot.updates.length,
        documents: snapshot.documents.length,
      },
    });
    // Subscribers hear of subprocessor changes and new updates only if this publish commits.
    for (const change of changesBetween(previousSite, snapshot)) await notifySubscribers(ctx, change, { tx });
    return { ...snapshot, version: row.version, publishedAt: row.publishedAt.toISOString() };
  });
  const memo = memos.get(ctx);
  if (!memo?.site || memo.site.version < site.version) {
    memos.set(ctx, { site, checkedAt: Date.now() });
  }
  for (const listener of listeners) {
    try {
      listener(site, ctx);
    } catch (error) {
      // The publication is committed; a failing listener must not turn it into an error for the admin.
      process.emitWarning(`trust publication listener failed: ${(error as Error).message}`);
    }
  }
  return { version: site.version, publishedAt: site.publishedAt };
}

/** Past publications, newest first (version and time only). */
export async function listPublications(
  q: Queryable,
): Promise<{ version: number; publishedAt: string; publishedBy: string | null }[]> {
  const rows = await q
    .select({
      version: trustPublications.version,
      publishedAt: trustPublications.publishedAt,
      publishedBy: trustPublications.publishedBy,
    })
    .from(trustPublications)
    .orderBy(desc(trustPublications.version))
    .limit(50);
  return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
}

/**
 * Whether the draft says something the live site does not (the program page's approach: compare the
 * draft, as it would be published now, with the latest publication). Before the first publish
 * everything is unpublished. Both sides go through SiteSnapshot, so key order and stored JSON shape
 * do not count as changes.
 */
export async function publicationStatus(
  ctx: AppContext,
): Promise<{ publishedVersion: number | null; publishedAt: string | null; unpublishedChanges: boolean }> {
  const db = ctx.database.db;
  const draft = await buildDraftSnapshot(ctx, db);
  const [latest] = await db.select({ version: max(trustPublications.version) }).from(trustPublications);
  const published = latest?.version ? await loadPublication(db, latest.version) : undefined;
  if (!published) return { publishedVersion: null, publishedAt: null, unpublishedChanges: true };
  const { version, publishedAt, ...snapshot } = published;
  return {
    publishedVersion: version,
    publishedAt,
    unpublishedChanges: !isDeepStrictEqual(SiteSnapshot.parse(snapshot), draft),
  };
}
