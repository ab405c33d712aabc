import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, max, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { trustDocumentFiles, trustDocuments } from '../tables.ts';

export type DocumentRow = typeof trustDocuments.$inferSelect;
export type DocumentFileRow = typeof trustDocumentFiles.$inferSelect;
export type NewDocument = typeof trustDocuments.$inferInsert;
export type NewDocumentFile = typeof trustDocumentFiles.$inferInsert;

/** Inserts a document; undefined when the slug is taken (the unique index decides, so races are safe). */
export async function insertDocument(q: Queryable, values: NewDocument): Promise<DocumentRow | undefined> {
  const [row] = await q
    .insert(trustDocuments)
    .values(values)
    .onConflictDoNothing({ target: trustDocuments.slug })
    .returning();
  return row;
}

export async function updateDocumentRow(
  q: Queryable,
  documentId: string,
  values: Partial<NewDocument>,
): Promise<DocumentRow | undefined> {
  const [row] = await q
    .update(trustDocuments)
    .set(values)
    .where(eq(trustDocuments.id, documentId))
    .returning();
  return row;
}

/** A document by id; `lock` holds its row until the transaction ends (serialises uploads' version numbers). */
export async function findDocument(
  q: Queryable,
  documentId: string,
  options: { lock?: boolean } = {},
): Promise<DocumentRow | undefined> {
  const query = q.select().from(trustDocuments).where(eq(trustDocuments.id, documentId));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function findDocumentBySlug(q: Queryable, slug: string): Promise<DocumentRow | undefined> {
  const [row] = await q.select().from(trustDocuments).where(eq(trustDocuments.slug, slug));
  return row;
}

export type DocumentFilter = {
  search?: string;
  accessLevel?: string;
  archived: boolean;
  /** Keyset cursor: rows after this (position, slug). */
  after?: { position: number; slug: string };
  limit: number;
};

/** Documents in display order (position, then slug), filtered and paged by keyset. */
export async function findDocuments(q: Queryable, filter: DocumentFilter): Promise<DocumentRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.archived ? isNotNull(trustDocuments.archivedAt) : isNull(trustDocuments.archivedAt),
  ];
  if (filter.accessLevel) conditions.push(eq(trustDocuments.accessLevel, filter.accessLevel));
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(sql`${trustDocuments.slug} ilike ${pattern}`, sql`${trustDocuments.title}::text ilike ${pattern}`),
    );
  }
  if (filter.after) {
    const { position, slug } = filter.after;
    conditions.push(
      or(
        gt(trustDocuments.position, position),
        and(eq(trustDocuments.position, position), gt(trustDocuments.slug, slug)),
      ),
    );
  }
  return q
    .select()
    .from(trustDocuments)
    .where(and(...conditions))
    .orderBy(asc(trustDocuments.position), asc(trustDocuments.slug))
    .limit(filter.limit);
}

/** Every file version of a document: by locale (null first), newest version first. */
export async function findFiles(q: Queryable, documentId: string): Promise<DocumentFileRow[]> {
  return q
    .select()
    .from(trustDocumentFiles)
    .where(eq(trustDocumentFiles.documentId, documentId))
    .orderBy(sql`${trustDocumentFiles.locale} asc nulls first`, desc(trustDocumentFiles.version));
}

/** The current (newest) file per locale of each document. */
export async function findCurrentFiles(q: Queryable, documentIds: string[]): Promise<DocumentFileRow[]> {
  if (documentIds.length === 0) return [];
  return q
    .selectDistinctOn([trustDocumentFiles.documentId, trustDocumentFiles.locale])
    .from(trustDocumentFiles)
    .where(inArray(trustDocumentFiles.documentId, documentIds))
    .orderBy(
      trustDocumentFiles.documentId,
      sql`${trustDocumentFiles.locale} asc nulls first`,
      desc(trustDocumentFiles.version),
    );
}

/** These file rows of one document (a publication's pinned versions). */
export async function findFilesByIds(
  q: Queryable,
  documentId: string,
  fileIds: string[],
): Promise<DocumentFileRow[]> {
  if (fileIds.length === 0) return [];
  return q
    .select()
    .from(trustDocumentFiles)
    .where(and(eq(trustDocumentFiles.documentId, documentId), inArray(trustDocumentFiles.id, fileIds)));
}

export async function findFile(
  q: Queryable,
  documentId: string,
  fileId: string,
): Promise<DocumentFileRow | undefined> {
  const [row] = await q
    .select()
    .from(trustDocumentFiles)
    .where(and(eq(trustDocumentFiles.documentId, documentId), eq(trustDocumentFiles.id, fileId)));
  return row;
}

/** The next version number for a document's file in one locale (null = the file for every locale). */
export async function nextFileVersion(
  q: Queryable,
  documentId: string,
  locale: string | null,
): Promise<number> {
  const [row] = await q
    .select({ latest: max(trustDocumentFiles.version) })
    .from(trustDocumentFiles)
    .where(
      and(
        eq(trustDocumentFiles.documentId, documentId),
        locale === null ? isNull(trustDocumentFiles.locale) : eq(trustDocumentFiles.locale, locale),
      ),
    );
  return (row?.latest ?? 0) + 1;
}

/** Every stored file's id and storage key (for key rotation), oldest first. */
export async function findAllFileKeys(q: Queryable): Promise<{ id: string; storageKey: string }[]> {
  return q
    .select({ id: trustDocumentFiles.id, storageKey: trustDocumentFiles.storageKey })
    .from(trustDocumentFiles)
    .orderBy(asc(trustDocumentFiles.createdAt));
}

export async function insertFile(q: Queryable, values: NewDocumentFile): Promise<DocumentFileRow> {
  const [row] = await q.insert(trustDocumentFiles).values(values).returning();
  if (!row) throw new Error('insert into trust_document_files returned no row');
  return row;
}

/** True for a unique-index violation, whichever driver raised it (drizzle wraps it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
