import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { sha256Hex } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { trustNdaAcceptances, trustNdaTemplates, trustVisitors } from '../tables.ts';
import { ndaProblems } from './nda.problems.ts';
import {
  countAcceptancesOf,
  deleteNdaExemption,
  findCurrentNdaTemplate,
  findNdaExemptions,
  findNdaTemplate,
  findNdaTemplates,
  insertNdaExemption,
  insertNdaTemplate,
  type NdaExemptionRow,
  type NdaTemplateRow,
} from './nda.store.ts';

/**
 * The exact text a visitor is shown and accepts: the title, a blank line, the body. Its SHA-256 is the
 * template's `sha256` and each acceptance's `textSha256`. Line endings are normalised to \n first.
 */
export function ndaShownText(title: string, body: string): string {
  return `${title}\n\n${body}`;
}

export function normaliseNdaText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

export type NdaTemplateView = {
  id: string;
  locale: string;
  version: number;
  title: string;
  body: string;
  sha256: string;
  active: boolean;
  acceptances: number;
  createdAt: string;
};

async function toTemplateView(q: Queryable, row: NdaTemplateRow): Promise<NdaTemplateView> {
  return {
    id: row.id,
    locale: row.locale,
    version: row.version,
    title: row.title,
    body: row.body,
    sha256: row.sha256,
    active: row.active,
    acceptances: await countAcceptancesOf(q, row.id),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listNdaTemplates(ctx: AppContext, locale?: Locale): Promise<NdaTemplateView[]> {
  const q = ctx.database.db;
  return Promise.all((await findNdaTemplates(q, locale)).map((row) => toTemplateView(q, row)));
}

function actorId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.user.id : actor.type === 'token' ? actor.token.id : null;
}

/** Adds the next version of a locale's NDA; it becomes that locale's current text. */
export async function createNdaTemplate(
  ctx: AppContext,
  actor: Actor,
  input: { locale: Locale; title: string; body: string },
): Promise<NdaTemplateView> {
  const title = normaliseNdaText(input.title);
  const body = normaliseNdaText(input.body);
  return ctx.database.db.transaction(async (tx) => {
    const row = await insertNdaTemplate(tx, {
      locale: input.locale,
      title,
      body,
      sha256: sha256Hex(ndaShownText(title, body)),
      createdBy: actorId(actor),
    });
    await recordAudit(tx, actor, {
      action: 'trust.nda-template.created',
      targetType: 'trust-nda-template',
      targetId: row.id,
      details: { locale: row.locale, version: row.version, sha256: row.sha256 },
    });
    return toTemplateView(tx, row);
  });
}

/**
 * Corrects a version nobody accepted yet, or retires/reactivates any version (`active`). Once accepted,
 * title and body are frozen (409): what someone signed must stay readable exactly as they saw it.
 */
export async function updateNdaTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { title?: string; body?: string; active?: boolean },
): Promise<NdaTemplateView> {
  return ctx.database.db.transaction(async (tx) => {
    // Row lock: an acceptance of this version (which locks it too) can't slip in between check and write.
    const [current] = await tx
      .select()
      .from(trustNdaTemplates)
      .where(eq(trustNdaTemplates.id, id))
      .for('update');
    if (!current) throw ndaProblems.templateNotFound(id);
    const changesText = input.title !== undefined || input.body !== undefined;
    if (changesText) {
      const acceptances = await countAcceptancesOf(tx, id);
      if (acceptances > 0) throw ndaProblems.templateAccepted(id, acceptances);
    }
    const title = input.title !== undefined ? normaliseNdaText(input.title) : current.title;
    const body = input.body !== undefined ? normaliseNdaText(input.body) : current.body;
    const [updated] = await tx
      .update(trustNdaTemplates)
      .set({
        title,
        body,
        sha256: sha256Hex(ndaShownText(title, body)),
        active: input.active ?? current.active,
      })
      .where(eq(trustNdaTemplates.id, id))
      .returning();
    if (!updated) throw ndaProblems.templateNotFound(id);
    await recordAudit(tx, actor, {
      action: 'trust.nda-template.updated',
      targetType: 'trust-nda-template',
      targetId: id,
      details: { textChanged: changesText, active: updated.active, sha256: updated.sha256 },
    });
    return toTemplateView(tx, updated);
  });
}

/** The NDA a visitor in `locale` is shown: that locale's current version, else the default locale's. */
export async function findNdaForLocale(
  q: Queryable,
  locale: Locale,
  defaultLocale: Locale,
): Promise<NdaTemplateRow | undefined> {
  return (await findCurrentNdaTemplate(q, locale)) ?? (await findCurrentNdaTemplate(q, defaultLocale));
}

export async function listNdaExemptions(ctx: AppContext): Promise<NdaExemptionRow[]> {
  return findNdaExemptions(ctx.database.db);
}

/** Exempts a company's domain (an NDA signed on paper): its visitors skip the click-through. */
export async function createNdaExemption(
  ctx: AppContext,
  actor: Actor,
  input: { domain: string; company: string; note?: string },
): Promise<NdaExemptionRow> {
  return ctx.database.db.transaction(async (tx) => {
    const row = await insertNdaExemption(tx, {
      ...input,
      note: input.note ?? null,
      createdBy: actorId(actor),
    });
    if (!row) throw ndaProblems.exemptionExists(input.domain);
    await recordAudit(tx, actor, {
      action: 'trust.nda-exemption.created',
      targetType: 'trust-nda-exemption',
      targetId: row.id,
      details: { domain: row.domain, company: row.company },
    });
    return row;
  });
}

export async function deleteNdaExemptionById(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const row = await deleteNdaExemption(tx, id);
    if (!row) throw ndaProblems.exemptionNotFound(id);
    await recordAudit(tx, actor, {
      action: 'trust.nda-exemption.deleted',
      targetType: 'trust-nda-exemption',
      targetId: id,
      details: { domain: row.domain, company: row.company },
    });
  });
}

/** Acceptances, newest first, with the template version they accepted. */
export async function listNdaAcceptances(ctx: AppContext, filter: { visitorId?: string }, limit: number) {
  const rows = await ctx.database.db
    .select({ acceptance: trustNdaAcceptances, template: trustNdaTemplates })
    .from(trustNdaAcceptances)
    .innerJoin(trustNdaTemplates, eq(trustNdaTemplates.id, trustNdaAcceptances.templateId))
    .innerJoin(trustVisitors, eq(trustVisitors.id, trustNdaAcceptances.visitorId))
    .where(filter.visitorId ? eq(trustNdaAcceptances.visitorId, filter.visitorId) : undefined)
    .orderBy(sql`${trustNdaAcceptances.acceptedAt} desc`)
    .limit(limit);
  return rows.map(({ acceptance, template }) => ({
    id: acceptance.id,
    visitorId: acceptance.visitorId,
    templateId: template.id,
    locale: template.locale,
    version: template.version,
    textSha256: acceptance.textSha256,
    fullName: acceptance.fullName,
    email: acceptance.email,
    company: acceptance.company,
    ip: acceptance.ip,
    userAgent: acceptance.userAgent,
    acceptedAt: acceptance.acceptedAt.toISOString(),
  }));
}

export { findNdaTemplate };
