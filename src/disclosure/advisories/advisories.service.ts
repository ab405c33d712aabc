import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import { getSettings, organizationDefaults } from '../../core/settings/index.ts';
import { scoreCvss } from './advisories.cvss.ts';
import { type AdvisoryData, advisoryPageUrl, type Publisher } from './advisories.export.ts';
import { advisoryProblems } from './advisories.problems.ts';
import {
  ADVISORY_TARGET,
  auditedRevisions,
  type FrozenPublisher,
  freezeInputs,
  freezeRevision,
  latestRevisions,
  type PublishedRevision,
} from './advisories.revisions.ts';
import type {
  AdvisoryView,
  AffectedProduct,
  CreateAdvisoryBody,
  Credit,
  ListAdvisoriesQuery,
  UpdateAdvisoryBody,
} from './advisories.schemas.ts';
import {
  type AdvisoryRow,
  deleteAdvisoryRow,
  findAdvisories,
  findAdvisory,
  findUnfrozenPublishedAdvisories,
  insertAdvisory,
  lastIdentifierNumber,
  reportExists,
  updateAdvisoryRow,
} from './advisories.store.ts';
import { versionIssues } from './advisories.versions.ts';

export { ADVISORY_TARGET };
/** Advisories are written in English: CVE records need it, and one text serves every page's language. */
export const ADVISORY_LANG = 'en';

/** The identifier prefix: the organisation's name in capitals, letters and digits only, at most 12. */
export function identifierPrefix(organizationName: string): string {
  const letters = organizationName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase();
  const prefix = letters.replace(/^[0-9]+/, '').slice(0, 12);
  return prefix || 'ADVISORY';
}

export async function publisherOf(ctx: AppContext, q: Queryable, cnaOrgId?: string): Promise<Publisher> {
  const { organizationName } = await getSettings(q, organizationDefaults(ctx));
  return { name: organizationName, publicUrl: ctx.config.publicUrl, lang: ADVISORY_LANG, cnaOrgId };
}

function scores(row: Pick<AdvisoryRow, 'cvssV3Vector' | 'cvssV4Vector'>) {
  const v3 = row.cvssV3Vector ? scoreCvss('3.1', row.cvssV3Vector) : null;
  const v4 = row.cvssV4Vector ? scoreCvss('4.0', row.cvssV4Vector) : null;
  return { cvssV3: typeof v3 === 'string' ? null : v3, cvssV4: typeof v4 === 'string' ? null : v4 };
}

export function toView(row: AdvisoryRow, publisher: Pick<Publisher, 'publicUrl' | 'lang'>): AdvisoryView {
  const { cvssV3, cvssV4 } = scores(row);
  const score = (s: typeof cvssV3) =>
    s ? { vector: s.vector, baseScore: s.baseScore, baseSeverity: s.baseSeverity } : null;
  return {
    id: row.id,
    identifier: row.identifier,
    cveId: row.cveId,
    status: row.status,
    title: row.title,
    summary: row.summary,
    description: row.description,
    affected: row.affected as AffectedProduct[],
    cvssV3: score(cvssV3),
    cvssV4: score(cvssV4),
    cweIds: row.cweIds,
    credits: row.credits as Credit[],
    references: row.references,
    reportId: row.reportId,
    embargoUntil: row.embargoUntil?.toISOString() ?? null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    revision: row.revision,
    publicUrl:
      row.status === 'published' ? advisoryPageUrl({ ...publisher, name: '' }, row.identifier) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The advisory's own fields as the exports read them, without its revision history. */
export function advisoryFields(row: AdvisoryRow): Omit<AdvisoryData, 'revisions'> {
  return {
    identifier: row.identifier,
    cveId: row.cveId,
    status: row.status,
    title: row.title,
    summary: row.summary,
    description: row.description,
    affected: row.affected as AffectedProduct[],
    ...scores(row),
    cweIds: row.cweIds,
    credits: row.credits as Credit[],
    references: row.references,
    embargoUntil: row.embargoUntil,
    publishedAt: row.publishedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    revision: row.revision,
  };
}

/**
 * The advisory as the exports read it, and who publishes it. A published advisory is its latest frozen
 * revision, with the publisher frozen with it (see advisories.revisions.ts); a draft is its row as it is
 * now, published by the organisation as it is now.
 */
export async function advisoryData(
  ctx: AppContext,
  q: Queryable,
  row: AdvisoryRow,
): Promise<{ advisory: AdvisoryData; publisher: FrozenPublisher; frozen?: PublishedRevision }> {
  if (row.status === 'published') {
    const frozen = (await latestRevisions(q, [row.id])).get(row.id);
    if (frozen) return { advisory: frozen.advisory, publisher: frozen.publisher, frozen };
  }
  return { advisory: await liveAdvisoryData(q, row), publisher: await publisherOf(ctx, q) };
}

/**
 * The advisory as its row reads now. The revision history of one published before revisions were frozen
 * comes from the audit log (its `published` and `revised` entries), which is append-only.
 */
export async function liveAdvisoryData(q: Queryable, row: AdvisoryRow): Promise<AdvisoryData> {
  const revisions: AdvisoryData['revisions'] = [];
  if (row.status === 'published' && row.publishedAt) {
    const audited = await auditedRevisions(q, row.id);
    for (let number = 1; number <= row.revision; number += 1) {
      const entry = audited.get(number);
      revisions.push({
        number,
        date: entry?.date ?? (number === 1 ? row.publishedAt : row.updatedAt),
        summary: entry?.summary ?? (number === 1 ? 'Initial public release.' : 'Revised.'),
      });
    }
  }
  return { ...advisoryFields(row), revisions };
}

/**
 * Freezes the current revision of every published advisory that has none (published before revisions
 * were frozen), once, at start: from then on renames and settings never change them.
 */
export async function freezeUnfrozenAdvisories(ctx: AppContext): Promise<number> {
  const rows = await findUnfrozenPublishedAdvisories(ctx.database.db);
  if (rows.length === 0) return 0;
  const inputs = await freezeInputs(ctx, await publisherOf(ctx, ctx.database.db));
  for (const row of rows) {
    await ctx.database.db.transaction(async (tx) => {
      const { revisions } = await liveAdvisoryData(tx, row);
      const current = revisions.at(-1);
      await freezeRevision(
        tx,
        row.id,
        advisoryFields(row),
        { date: current?.date ?? row.updatedAt, summary: current?.summary ?? 'Revised.' },
        inputs,
      );
    });
  }
  return rows.length;
}

export async function listAdvisories(
  ctx: AppContext,
  query: ListAdvisoriesQuery,
): Promise<{ items: AdvisoryView[]; nextCursor: string | null }> {
  const rows = await findAdvisories(ctx.database.db, {
    search: query.q,
    status: query.status,
    before: query.cursor === undefined ? undefined : parseCursor(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const publisher = { publicUrl: ctx.config.publicUrl, lang: ADVISORY_LANG };
  return {
    items: page.map((row) => toView(row, publisher)),
    nextCursor:
      rows.length > query.limit && last
        ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url')
        : null,
  };
}

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw problems.validation([
      { in: 'querystring', pointer: '/cursor', detail: 'not a cursor from a previous page' },
    ]);
  }
  return { createdAt, id };
}

export async function loadAdvisory(q: Queryable, advisoryId: string, lock = false): Promise<AdvisoryRow> {
  const row = await findAdvisory(q, advisoryId, { lock });
  if (!row) throw advisoryProblems.notFound(advisoryId);
  return row;
}

export async function getAdvisory(ctx: AppContext, advisoryId: string): Promise<AdvisoryView> {
  const row = await loadAdvisory(ctx.database.db, advisoryId);
  return toView(row, { publicUrl: ctx.config.publicUrl, lang: ADVISORY_LANG });
}

async function checkReport(q: Queryable, reportId: string | null | undefined): Promise<void> {
  if (reportId && !(await reportExists(q, reportId))) {
    throw problems.validation([{ in: 'body', pointer: '/reportId', detail: `no report has id ${reportId}` }]);
  }
}

const toColumns = (input: Partial<CreateAdvisoryBody>) => ({
  ...input,
  embargoUntil:
    input.embargoUntil === undefined ? undefined : input.embargoUntil ? new Date(input.embargoUntil) : null,
});

export async function createAdvisory(
  ctx: AppContext,
  actor: Actor,
  input: CreateAdvisoryBody,
): Promise<AdvisoryView> {
  const publisher = await publisherOf(ctx, ctx.database.db);
  const prefix = identifierPrefix(publisher.name);
  const year = new Date().getUTCFullYear();
  return ctx.database.db.transaction(async (tx) => {
    await checkReport(tx, input.reportId);
    let number = (await lastIdentifierNumber(tx, prefix, year)) + 1;
    for (let attempt = 0; attempt < 20; attempt += 1, number += 1) {
      const identifier = `${prefix}-${year}-${String(number).padStart(4, '0')}`;
      // The unique index decides between concurrent creations; the loser takes the next number.
      const row = await insertAdvisory(tx, { ...toColumns(input), identifier, status: 'draft' } as never);
      if (!row) continue;
      await recordAudit(tx, actor, {
        action: 'disclosure.advisory.created',
        targetType: ADVISORY_TARGET,
        targetId: row.id,
        details: { identifier, title: row.title, reportId: row.reportId },
      });
      return toView(row, publisher);
    }
    throw new Error(`no free advisory identifier after ${prefix}-${year}-${number}`);
  });
}

/**
 * Changes an advisory. A published advisory stays published: each change is a new public revision
 * (revision + 1, with `revisionSummary` in its history), shown at once on the public pages.
 */
export async function updateAdvisory(
  ctx: AppContext,
  actor: Actor,
  advisoryId: string,
  input: UpdateAdvisoryBody,
): Promise<AdvisoryView> {
  const publisher = await publisherOf(ctx, ctx.database.db);
  const inputs = await freezeInputs(ctx, publisher);
  return ctx.database.db.transaction(async (tx) => {
    const before = await loadAdvisory(tx, advisoryId, true);
    await checkReport(tx, input.reportId);
    const { revisionSummary, ...fields } = input;
    const changed = Object.keys(fields).filter(
      (key) =>
        JSON.stringify(toColumns(fields)[key as keyof typeof fields] ?? null) !==
        JSON.stringify(before[key as keyof AdvisoryRow] ?? null),
    );
    const revised = before.status === 'published' && changed.length > 0;
    const row = (await updateAdvisoryRow(tx, advisoryId, {
      ...toColumns(fields),
      ...(revised ? { revision: before.revision + 1 } : {}),
    } as never)) as AdvisoryRow;
    if (revised) {
      // A published advisory never changes in place: the change is a new frozen revision.
      await freezeRevision(
        tx,
        advisoryId,
        advisoryFields(row),
        { date: row.updatedAt, summary: revisionSummary ?? 'Revised.' },
        inputs,
      );
    }
    await recordAudit(tx, actor, {
      action: revised ? 'disclosure.advisory.revised' : 'disclosure.advisory.updated',
      targetType: ADVISORY_TARGET,
      targetId: advisoryId,
      details: {
        identifier: row.identifier,
        changed,
        ...(revised ? { revision: row.revision, summary: revisionSummary ?? 'Revised.' } : {}),
      },
    });
    return toView(row, publisher);
  });
}

/** Deletes a draft or shared advisory; a published one stays (it can be revised, not withdrawn here). */
export async function deleteAdvisory(ctx: AppContext, actor: Actor, advisoryId: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const before = await loadAdvisory(tx, advisoryId, true);
    if (before.status === 'published') throw advisoryProblems.published(before.identifier);
    await deleteAdvisoryRow(tx, advisoryId);
    await recordAudit(tx, actor, {
      action: 'disclosure.advisory.deleted',
      targetType: ADVISORY_TARGET,
      targetId: advisoryId,
      details: { identifier: before.identifier, title: before.title },
    });
  });
}

/** What an advisory still lacks before it can be published (and exported as CVE/CSAF). */
export function missingForPublication(
  row: Pick<AdvisoryRow, 'summary' | 'description' | 'affected'>,
): string[] {
  const missing: string[] = [];
  if (!row.summary.trim() && !row.description.trim()) missing.push('write a summary or a description');
  if (row.affected.length === 0) missing.push('name at least one affected product');
  // Advisories saved before versions were checked may hold ranges no export should carry.
  (row.affected as AffectedProduct[]).forEach((product, index) => {
    for (const issue of versionIssues(product)) {
      missing.push(`fix /affected/${index}/${issue.path.join('/')}: ${issue.message}`);
    }
  });
  return missing;
}

/**
 * Publishes an advisory: it appears on the public pages, in the CSAF feed and as OSV at once. Refused
 * while the embargo date is ahead unless `force` (an early publication is recorded as such).
 */
export async function publishAdvisory(
  ctx: AppContext,
  actor: Actor,
  advisoryId: string,
  options: { force: boolean },
): Promise<AdvisoryView> {
  const publisher = await publisherOf(ctx, ctx.database.db);
  // The key is read before the transaction: on PGlite a query outside it would wait for it to end.
  const inputs = await freezeInputs(ctx, publisher);
  return ctx.database.db.transaction(async (tx) => {
    const before = await loadAdvisory(tx, advisoryId, true);
    if (before.status === 'published') throw advisoryProblems.alreadyPublished(before.identifier);
    const now = new Date();
    const embargoed = before.embargoUntil !== null && before.embargoUntil > now;
    if (embargoed && !options.force) {
      throw advisoryProblems.embargoed(before.identifier, before.embargoUntil as Date);
    }
    const missing = missingForPublication(before);
    if (missing.length > 0) throw advisoryProblems.incomplete(before.identifier, missing);
    const row = (await updateAdvisoryRow(tx, advisoryId, {
      status: 'published',
      publishedAt: now,
      revision: 1,
    })) as AdvisoryRow;
    await freezeRevision(
      tx,
      advisoryId,
      advisoryFields(row),
      { date: now, summary: 'Initial public release.' },
      inputs,
    );
    await recordAudit(tx, actor, {
      action: 'disclosure.advisory.published',
      targetType: ADVISORY_TARGET,
      targetId: advisoryId,
      details: {
        identifier: row.identifier,
        revision: 1,
        summary: 'Initial public release.',
        forcedBeforeEmbargo: embargoed,
        ...(before.embargoUntil ? { embargoUntil: before.embargoUntil.toISOString() } : {}),
      },
    });
    return toView(row, publisher);
  });
}
