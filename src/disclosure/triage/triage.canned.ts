import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { settings } from '../../core/settings/tables.ts';
import { triageProblems } from './triage.problems.ts';
import {
  type CannedResponseRow,
  deleteCannedResponse,
  insertCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from './triage.store.ts';

/** Canned responses: texts per locale the team starts an answer from. Not confidential; changes audited. */

function view(row: CannedResponseRow) {
  return {
    id: row.id,
    locale: row.locale as Locale,
    title: row.title,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The answers a team writes most, offered on a new install in every language; the team edits them freely. */
export const DEFAULT_CANNED = [
  'acknowledge',
  'needMoreInfo',
  'outOfScope',
  'duplicate',
  'fixedRetest',
] as const;
/** Marks the install as seeded, so defaults the team deleted or renamed are never added back. */
const SEEDED_KEY = 'disclosure.cannedResponses.seeded';
const seeded = new WeakSet<AppContext>();

/**
 * Adds the default canned responses (en, es, fr) the first time any are read. Idempotent and safe when
 * two processes race: only the transaction that inserts the marker inserts the texts.
 */
export async function ensureCannedSeeded(ctx: AppContext, q: Queryable = ctx.database.db): Promise<void> {
  if (seeded.has(ctx)) return;
  await q.transaction(async (tx) => {
    const marked = await tx
      .insert(settings)
      .values({ key: SEEDED_KEY, value: { at: new Date().toISOString() } })
      .onConflictDoNothing()
      .returning({ key: settings.key });
    if (marked.length === 0) return;
    for (const locale of locales) {
      for (const key of DEFAULT_CANNED) {
        await insertCannedResponse(tx, {
          locale,
          title: translate(locale, `vdp-triage:cannedDefaults.${key}.title`),
          body: translate(locale, `vdp-triage:cannedDefaults.${key}.body`),
        });
      }
    }
  });
  seeded.add(ctx);
}

export async function listCanned(ctx: AppContext, locale?: Locale) {
  await ensureCannedSeeded(ctx);
  return (await listCannedResponses(ctx.database.db, locale)).map(view);
}

export async function createCanned(
  ctx: AppContext,
  actor: Actor,
  input: { locale: Locale; title: string; body: string },
) {
  return ctx.database.db.transaction(async (tx) => {
    const row = await insertCannedResponse(tx, input);
    await recordAudit(tx, actor, {
      action: 'disclosure.canned-response.created',
      targetType: 'disclosure_canned_response',
      targetId: row.id,
      details: { locale: row.locale, title: row.title },
    });
    return view(row);
  });
}

export async function updateCanned(
  ctx: AppContext,
  actor: Actor,
  id: string,
  changes: Partial<{ locale: Locale; title: string; body: string }>,
) {
  return ctx.database.db.transaction(async (tx) => {
    const row = await updateCannedResponse(tx, id, changes);
    if (!row) throw triageProblems.cannedResponseNotFound(id);
    await recordAudit(tx, actor, {
      action: 'disclosure.canned-response.updated',
      targetType: 'disclosure_canned_response',
      targetId: row.id,
      details: { locale: row.locale, title: row.title, changed: Object.keys(changes) },
    });
    return view(row);
  });
}

export async function deleteCanned(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const row = await deleteCannedResponse(tx, id);
    if (!row) throw triageProblems.cannedResponseNotFound(id);
    await recordAudit(tx, actor, {
      action: 'disclosure.canned-response.deleted',
      targetType: 'disclosure_canned_response',
      targetId: row.id,
      details: { locale: row.locale, title: row.title },
    });
  });
}
