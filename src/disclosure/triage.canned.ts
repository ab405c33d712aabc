import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { Actor } from '../core/http/actor.ts';
import type { Locale } from '../core/i18n/index.ts';
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

export async function listCanned(ctx: AppContext, locale?: Locale) {
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
