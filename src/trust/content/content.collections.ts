import { and, asc, desc, eq, isNull, ne, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import {
  type LocalizedText,
  trustCertifications,
  trustDocuments,
  trustFaqs,
  trustProfile,
  trustSections,
  trustSubprocessors,
  trustUpdates,
} from '../tables.ts';
import { ensureDraftSeeded } from './content.service.ts';
import { assertSlugStable, uniqueUpdateSlug } from './update-slugs.ts';

type Row = Record<string, unknown>;

/** One editable list of the draft (certifications, sections, …): its table, order and audit actions. */
export type Collection = {
  /** Singular, as it appears in messages and parameter names: `certification` → `certificationId`. */
  noun: string;
  table: PgTable;
  id: AnyPgColumn;
  position?: AnyPgColumn;
  order: SQL[];
  targetType: string;
  actions: { created: string; updated: string; deleted: string; reordered?: string };
  /** A column that must be unique, checked before writing so a duplicate is a 422, not a driver error. */
  unique?: { column: AnyPgColumn; field: string };
  /** A short human label for the audit details. */
  label(row: Row): string;
  /** Fills in what the server derives (an update's slug) before a new item is checked and written. */
  prepareCreate?(q: Queryable, values: Row): Promise<Row>;
  /** Refuses a change the item's state forbids, before writing. */
  checkUpdate?(q: Queryable, id: string, changes: Row): Promise<void>;
};

/** A certification's certificate must be an existing, not archived document: else 422, not a driver error. */
async function assertCertificateDocument(q: Queryable, documentId: unknown): Promise<void> {
  if (typeof documentId !== 'string') return;
  const [document] = await q
    .select({ id: trustDocuments.id })
    .from(trustDocuments)
    .where(and(eq(trustDocuments.id, documentId), isNull(trustDocuments.archivedAt)));
  if (!document) {
    throw problems.validation([{ in: 'body', pointer: '/documentId', detail: 'no such document' }]);
  }
}

const firstText = (value: unknown): string => {
  const texts = Object.values((value ?? {}) as Record<string, string>);
  return (texts[0] ?? '').slice(0, 120);
};

export const collections = {
  certifications: {
    noun: 'certification',
    table: trustCertifications,
    id: trustCertifications.id,
    position: trustCertifications.position,
    order: [asc(trustCertifications.position), asc(trustCertifications.createdAt)],
    targetType: 'trust_certification',
    prepareCreate: async (q, values) => {
      await assertCertificateDocument(q, values.documentId);
      return values;
    },
    checkUpdate: (q, _id, changes) => assertCertificateDocument(q, changes.documentId),
    actions: {
      created: 'trust.certification.created',
      updated: 'trust.certification.updated',
      deleted: 'trust.certification.deleted',
      reordered: 'trust.certification.reordered',
    },
    label: (row) => String(row.name),
  },
  sections: {
    noun: 'section',
    table: trustSections,
    id: trustSections.id,
    position: trustSections.position,
    order: [asc(trustSections.position), asc(trustSections.createdAt)],
    targetType: 'trust_section',
    actions: {
      created: 'trust.section.created',
      updated: 'trust.section.updated',
      deleted: 'trust.section.deleted',
      reordered: 'trust.section.reordered',
    },
    label: (row) => firstText(row.title),
  },
  faqs: {
    noun: 'faq',
    table: trustFaqs,
    id: trustFaqs.id,
    position: trustFaqs.position,
    order: [asc(trustFaqs.position), asc(trustFaqs.createdAt)],
    targetType: 'trust_faq',
    actions: {
      created: 'trust.faq.created',
      updated: 'trust.faq.updated',
      deleted: 'trust.faq.deleted',
      reordered: 'trust.faq.reordered',
    },
    label: (row) => firstText(row.question),
  },
  subprocessors: {
    noun: 'subprocessor',
    table: trustSubprocessors,
    id: trustSubprocessors.id,
    position: trustSubprocessors.position,
    order: [asc(trustSubprocessors.position), asc(trustSubprocessors.name)],
    targetType: 'trust_subprocessor',
    actions: {
      created: 'trust.subprocessor.created',
      updated: 'trust.subprocessor.updated',
      deleted: 'trust.subprocessor.deleted',
      reordered: 'trust.subprocessor.reordered',
    },
    label: (row) => String(row.name),
  },
  updates: {
    noun: 'update',
    table: trustUpdates,
    id: trustUpdates.id,
    order: [desc(trustUpdates.publishedOn), desc(trustUpdates.createdAt)],
    targetType: 'trust_update',
    async prepareCreate(q, values) {
      if (values.slug !== undefined) return values;
      const [profile] = await q.select({ defaultLocale: trustProfile.defaultLocale }).from(trustProfile);
      const slug = await uniqueUpdateSlug(q, values.title as LocalizedText, profile?.defaultLocale ?? 'en');
      return { ...values, slug };
    },
    checkUpdate: (q, id, changes) => assertSlugStable(q, id, changes.slug),
    actions: {
      created: 'trust.update.created',
      updated: 'trust.update.updated',
      deleted: 'trust.update.deleted',
    },
    unique: { column: trustUpdates.slug, field: 'slug' },
    label: (row) => String(row.slug),
  },
} satisfies Record<string, Collection>;

/** Dates become ISO text, as the JSON views carry them. */
function toView(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}

function notFound(c: Collection, id: string) {
  return problems.notFound(`The ${c.noun} ${id}`);
}

export async function listItems(ctx: AppContext, c: Collection): Promise<Row[]> {
  await ensureDraftSeeded(ctx, ctx.database.db);
  const rows = (await ctx.database.db
    .select()
    .from(c.table)
    .orderBy(...c.order)) as Row[];
  return rows.map(toView);
}

async function assertUnique(q: Queryable, c: Collection, values: Row, exceptId?: string): Promise<void> {
  if (!c.unique || values[c.unique.field] === undefined) return;
  const same = eq(c.unique.column, values[c.unique.field]);
  const [clash] = await q
    .select({ id: c.id })
    .from(c.table)
    .where(exceptId ? and(same, ne(c.id, exceptId)) : same)
    .limit(1);
  if (clash) {
    throw problems.validation([
      {
        in: 'body',
        pointer: `/${c.unique.field}`,
        detail: `another ${c.noun} already uses this ${c.unique.field}`,
      },
    ]);
  }
}

/** Adds an item at the end of its list. */
export async function createItem(ctx: AppContext, actor: Actor, c: Collection, values: Row): Promise<Row> {
  await ensureDraftSeeded(ctx, ctx.database.db);
  const row = await ctx.database.db.transaction(async (tx) => {
    const prepared = c.prepareCreate ? await c.prepareCreate(tx, values) : values;
    await assertUnique(tx, c, prepared);
    const position = c.position ? await nextPosition(tx, c) : undefined;
    const [inserted] = (await tx
      .insert(c.table)
      .values(position === undefined ? prepared : { ...prepared, position })
      .returning()) as Row[];
    if (!inserted) throw new Error(`insert of a ${c.noun} returned nothing`);
    await recordAudit(tx, actor, {
      action: c.actions.created,
      targetType: c.targetType,
      targetId: String(inserted.id),
      details: { label: c.label(inserted) },
    });
    return inserted;
  });
  return toView(row);
}

async function nextPosition(q: Queryable, c: Collection & { position?: AnyPgColumn }): Promise<number> {
  const rows = (await q.select({ position: c.position as AnyPgColumn }).from(c.table)) as {
    position: number;
  }[];
  return rows.reduce((highest, r) => Math.max(highest, r.position + 1), 0);
}

export async function updateItem(
  ctx: AppContext,
  actor: Actor,
  c: Collection,
  id: string,
  changes: Row,
): Promise<Row> {
  const row = await ctx.database.db.transaction(async (tx) => {
    await c.checkUpdate?.(tx, id, changes);
    await assertUnique(tx, c, changes, id);
    const [updated] = (await tx.update(c.table).set(changes).where(eq(c.id, id)).returning()) as Row[];
    if (!updated) throw notFound(c, id);
    await recordAudit(tx, actor, {
      action: c.actions.updated,
      targetType: c.targetType,
      targetId: id,
      details: { label: c.label(updated), changed: Object.keys(changes).sort() },
    });
    return updated;
  });
  return toView(row);
}

export async function deleteItem(ctx: AppContext, actor: Actor, c: Collection, id: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const [deleted] = (await tx.delete(c.table).where(eq(c.id, id)).returning()) as Row[];
    if (!deleted) throw notFound(c, id);
    await recordAudit(tx, actor, {
      action: c.actions.deleted,
      targetType: c.targetType,
      targetId: id,
      details: { label: c.label(deleted) },
    });
  });
}

/** Sets the order of a whole list: `ids` must name every item exactly once. */
export async function reorderItems(
  ctx: AppContext,
  actor: Actor,
  c: Collection,
  ids: string[],
): Promise<Row[]> {
  const reordered = c.actions.reordered;
  if (!c.position || !reordered) throw new Error(`${c.noun} lists have no order`);
  await ensureDraftSeeded(ctx, ctx.database.db);
  await ctx.database.db.transaction(async (tx) => {
    const existing = ((await tx.select({ id: c.id }).from(c.table)) as { id: string }[]).map((r) => r.id);
    const unique = new Set(ids);
    const missing = existing.filter((id) => !unique.has(id));
    const unknown = ids.filter((id) => !existing.includes(id));
    if (unique.size !== ids.length || missing.length > 0 || unknown.length > 0) {
      throw problems.validation([
        {
          in: 'body',
          pointer: '/ids',
          detail: `give every ${c.noun} id exactly once (${missing.length} missing, ${unknown.length} unknown, ${ids.length - unique.size} repeated)`,
        },
      ]);
    }
    for (const [index, id] of ids.entries()) {
      // Every ordered table names its column `position` (see tables.ts).
      await tx.update(c.table).set({ position: index }).where(eq(c.id, id));
    }
    await recordAudit(tx, actor, { action: reordered, targetType: c.targetType, details: { ids } });
  });
  return listItems(ctx, c);
}
