import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { getOrganization, type Organization, realSecurityContact } from '../../core/settings/index.ts';
import { disclosureProgramDraft } from '../tables.ts';
import { defaultProgramSource } from './program.defaults.ts';
import { programProblems } from './program.problems.ts';
import { ProgramSource, type PublishedProgram } from './program.schema.ts';
import {
  findDraft,
  findNewestVersion,
  findVersion,
  insertDraftIfMissing,
  insertVersionIfMissing,
  listVersionRows,
  newestVersionNumber,
  saveDraft,
  type VersionRow,
} from './program.store.ts';
import { checkProgram } from './program.validation.ts';

export { getActiveProgramKey, getActiveProgramKeys } from './program.keys.ts';

/**
 * How long a process trusts its copy of the published program before asking the database again: a
 * publish in this process is seen at once, one made by another process sharing PostgreSQL within this.
 */
const REVALIDATE_MS = 2_000;

type Memo = {
  program?: PublishedProgram;
  checkedAt: number;
  pending?: Promise<PublishedProgram | undefined>;
};
const memos = new WeakMap<AppContext, Memo>();

export type ProgramPublishedListener = (program: PublishedProgram, ctx: AppContext) => void;
const listeners = new Set<ProgramPublishedListener>();

/** Calls `listener` after every publish in this process (page caches use it). Returns an unsubscribe. */
export function onProgramPublished(listener: ProgramPublishedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function toPublished(row: VersionRow): PublishedProgram {
  // Stored JSON is an edge too: a version saved by an older release must still parse (defaults fill gaps).
  return { version: row.version, publishedAt: row.publishedAt, source: ProgramSource.parse(row.source) };
}

/**
 * The program as the organization's facts make it now: its name, and its security contact as the
 * first e-mail channel (added when the source has none). One change of the facts shows everywhere the
 * program is rendered, without a new version; the rest of the source stays as published.
 */
export function withOrganization(
  source: ProgramSource,
  organization: Pick<Organization, 'name' | 'securityContact'>,
): ProgramSource {
  let contacts = source.contacts;
  if (organization.securityContact) {
    const mailto = `mailto:${organization.securityContact}`;
    const index = contacts.findIndex((contact) => contact.kind === 'email');
    contacts =
      index >= 0
        ? contacts.map((contact, i) => (i === index ? { ...contact, value: mailto } : contact))
        : [...contacts, { kind: 'email', value: mailto, label: {} }];
  }
  return { ...source, companyName: organization.name, contacts };
}

/**
 * Whether `source` (after withOrganization) names an e-mail address a researcher can reach: an install
 * upgraded from a release that published `security@localhost` serves no security.txt until it does.
 */
export function hasRealContact(source: ProgramSource): boolean {
  return source.contacts.some(
    (contact) =>
      contact.kind === 'email' &&
      contact.value.startsWith('mailto:') &&
      realSecurityContact({ securityContact: contact.value.slice('mailto:'.length) }) !== null,
  );
}

/** The program a fresh install starts its draft from, named after the organization. */
export async function programDefaults(ctx: AppContext, q: Queryable): Promise<ProgramSource> {
  const organization = await getOrganization(ctx, q);
  return ProgramSource.parse(
    defaultProgramSource({
      companyName: organization.name,
      defaultLocale: organization.defaultLocale,
      publicUrl: organization.publicUrl,
    }),
  );
}

/** Nothing is published before someone publishes: internal clocks then run on the defaults as "version 0". */
export const UNPUBLISHED_VERSION = 0;

async function loadPublished(q: Queryable): Promise<PublishedProgram | undefined> {
  const newest = await findNewestVersion(q);
  return newest ? toPublished(newest) : undefined;
}

async function readPublished(ctx: AppContext, q?: Queryable): Promise<PublishedProgram | undefined> {
  if (q) return loadPublished(q);
  const memo = memos.get(ctx) ?? { checkedAt: 0 };
  memos.set(ctx, memo);
  if (memo.checkedAt > 0 && Date.now() - memo.checkedAt < REVALIDATE_MS) return memo.program;
  if (memo.pending) return memo.pending;
  memo.pending = (async () => {
    const db = ctx.database.db;
    const version = await newestVersionNumber(db);
    if (version === 0) memo.program = undefined;
    else if (!memo.program || memo.program.version !== version) memo.program = await loadPublished(db);
    memo.checkedAt = Date.now();
    return memo.program;
  })().finally(() => {
    memo.pending = undefined;
  });
  return memo.pending;
}

/**
 * The published program the public sees now, with the organization's current facts (withOrganization),
 * or undefined before the first publish: public pages answer 404 then. Pass `q` inside a transaction:
 * it is then read through it, never from another connection (PGlite has one). Without `q` it is served
 * from memory, revalidated every REVALIDATE_MS.
 */
export async function findPublishedProgram(
  ctx: AppContext,
  q?: Queryable,
): Promise<PublishedProgram | undefined> {
  const [published, organization] = await Promise.all([readPublished(ctx, q), getOrganization(ctx, q)]);
  return published && { ...published, source: withOrganization(published.source, organization) };
}

/**
 * The program in force for the team's own work (SLA clocks, time zone, intake by mail): the published
 * one, or before the first publish the defaults as version UNPUBLISHED_VERSION. Never for public pages:
 * those use findPublishedProgram.
 */
export async function getPublishedProgram(ctx: AppContext, q?: Queryable): Promise<PublishedProgram> {
  const published = await findPublishedProgram(ctx, q);
  if (published) return published;
  const organization = await getOrganization(ctx, q);
  const defaults = await programDefaults(ctx, q ?? ctx.database.db);
  return {
    version: UNPUBLISHED_VERSION,
    publishedAt: new Date(0),
    source: withOrganization(defaults, organization),
  };
}

/** One published version (what a report's reporter accepted), or undefined. */
export async function getProgramVersion(
  ctx: AppContext,
  version: number,
  q: Queryable = ctx.database.db,
): Promise<PublishedProgram | undefined> {
  const row = await findVersion(q, version);
  return row ? toPublished(row) : undefined;
}

export type ProgramDraft = { source: ProgramSource; updatedAt: Date; updatedBy: string | null };

/** The draft the admin edits; on first read, a copy of the published program (the defaults on a fresh install). */
export async function getProgramDraft(
  ctx: AppContext,
  q: Queryable = ctx.database.db,
): Promise<ProgramDraft> {
  let row = await findDraft(q);
  if (!row) {
    const published = await loadPublished(q);
    await insertDraftIfMissing(q, published?.source ?? (await programDefaults(ctx, q)));
    row = await findDraft(q);
    if (!row) throw new Error('disclosure_program_draft is empty after seeding');
  }
  const organization = await getOrganization(ctx, q === ctx.database.db ? undefined : q);
  return {
    source: withOrganization(ProgramSource.parse(row.source), organization),
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

function userIdOf(actor: Actor): string | null {
  return actor.type === 'user' ? actor.user.id : null;
}

/** Replaces the draft (422 when it breaks a rule of checkProgram). Visitors see nothing until publish. */
export async function updateProgramDraft(
  ctx: AppContext,
  actor: Actor,
  source: ProgramSource,
): Promise<ProgramDraft> {
  const errors = checkProgram(source, new Date());
  if (errors.length > 0) throw programProblems.invalidProgram(errors);
  const row = await ctx.database.db.transaction(async (tx) => {
    const saved = await saveDraft(tx, source, userIdOf(actor));
    await recordAudit(tx, actor, {
      action: 'disclosure.program.draft-updated',
      targetType: 'disclosure_program_draft',
      targetId: String(saved.id),
      details: {
        assets: source.assets.length,
        outOfScopeCategories: source.outOfScopeCategories.length,
        responseBusinessDays: source.responseBusinessDays,
      },
    });
    return saved;
  });
  return { source, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/**
 * Publishes the draft as the next version (max + 1) and records `disclosure.program.published`, in one
 * transaction; then tells listeners. The draft row is locked first so two publishers queue; the insert
 * is still insert-if-missing, in case a first read was publishing the defaults as version 1 meanwhile.
 */
export async function publishProgram(ctx: AppContext, actor: Actor): Promise<PublishedProgram> {
  const draft = await getProgramDraft(ctx);
  const errors = checkProgram(draft.source, new Date());
  if (errors.length > 0) throw programProblems.invalidProgram(errors);
  // Nothing public names a placeholder: the owner must have given the security contact first.
  if (!realSecurityContact(await getOrganization(ctx, ctx.database.db))) {
    throw programProblems.securityContactMissing();
  }
  const published = await ctx.database.db.transaction(async (tx) => {
    await tx.select({ id: disclosureProgramDraft.id }).from(disclosureProgramDraft).for('update');
    const locked = await getProgramDraft(ctx, tx);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const version = (await newestVersionNumber(tx)) + 1;
      const row = await insertVersionIfMissing(tx, {
        version,
        source: locked.source,
        publishedBy: userIdOf(actor),
      });
      if (!row) continue;
      await recordAudit(tx, actor, {
        action: 'disclosure.program.published',
        targetType: 'disclosure_program_version',
        targetId: String(version),
        details: { version },
      });
      return toPublished(row);
    }
    throw new Error('could not find a free program version number');
  });
  const memo = memos.get(ctx);
  if (!memo?.program || memo.program.version < published.version) {
    memos.set(ctx, { program: published, checkedAt: Date.now() });
  }
  const organization = await getOrganization(ctx);
  const shown = { ...published, source: withOrganization(published.source, organization) };
  for (const listener of listeners) {
    try {
      listener(shown, ctx);
    } catch (error) {
      // The version is committed; a failing listener must not turn it into an error for the admin.
      process.emitWarning(`disclosure program listener failed: ${(error as Error).message}`);
    }
  }
  return shown;
}

/** Published versions, newest first (number and time only). */
export async function listProgramVersions(
  ctx: AppContext,
): Promise<{ version: number; publishedAt: Date; publishedBy: string | null }[]> {
  return listVersionRows(ctx.database.db, 100);
}
