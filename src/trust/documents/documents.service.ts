import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import { isLocale, type Locale } from '../../core/i18n/locales.ts';
import type { LocalizedText } from '../tables.ts';
import { findMissingStoredFiles } from './document-storage.ts';
import { documentProblems } from './documents.problems.ts';
import type {
  CreateDocumentBody,
  DocumentDetailView,
  DocumentFileView,
  DocumentView,
  DocumentWarning,
  ListDocumentsQuery,
  UpdateDocumentBody,
} from './documents.schemas.ts';
import {
  type DocumentFileRow,
  type DocumentRow,
  findCurrentFiles,
  findDocument,
  findDocuments,
  findFiles,
  insertDocument,
  isUniqueViolation,
  updateDocumentRow,
} from './documents.store.ts';
import { isStamped } from './watermark.ts';

export type AccessLevel = 'public' | 'request' | 'nda';

/** A document as the public site lists it (SITE puts these into the publication snapshot). */
export type PublishableDocument = {
  id: string;
  slug: string;
  title: LocalizedText;
  description: LocalizedText;
  accessLevel: AccessLevel;
  /** ISO dates (YYYY-MM-DD) or null. */
  validFrom: string | null;
  validUntil: string | null;
  position: number;
  /** Locales with their own current file. */
  fileLocales: Locale[];
  /** True when a file for every locale (locale null) exists: every locale can download something. */
  hasDefaultFile: boolean;
  /** The current file versions, pinned by the publication: downloads serve these until the next publish. */
  files: { id: string; locale: Locale | null }[];
};

/**
 * Every non-archived document, ordered by position then slug, with which locales have a current file.
 * Documents without any file are included (hasDefaultFile false, fileLocales empty); the site decides
 * whether to show them. Validity is not filtered here: the snapshot may outlive a date, and the download
 * route checks it on every download.
 */
export async function listDocumentsForPublication(q: Queryable): Promise<PublishableDocument[]> {
  const docs: DocumentRow[] = [];
  for (let after: { position: number; slug: string } | undefined; ; ) {
    const batch = await findDocuments(q, { archived: false, after, limit: 500 });
    docs.push(...batch);
    const last = batch.at(-1);
    if (!last || batch.length < 500) break;
    after = { position: last.position, slug: last.slug };
  }
  const files = await findCurrentFiles(
    q,
    docs.map((d) => d.id),
  );
  return docs.map((d) => {
    const mine = files.filter((f) => f.documentId === d.id);
    return {
      id: d.id,
      slug: d.slug,
      title: d.title,
      description: d.description,
      accessLevel: d.accessLevel as AccessLevel,
      validFrom: d.validFrom,
      validUntil: d.validUntil,
      position: d.position,
      fileLocales: mine.map((f) => f.locale).filter(isLocale),
      hasDefaultFile: mine.some((f) => f.locale === null),
      files: mine.map((f) => ({ id: f.id, locale: isLocale(f.locale) ? f.locale : null })),
    };
  });
}

/** Today's date in UTC as YYYY-MM-DD: validity windows are whole UTC days. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whether a document may be downloaded today: not archived and inside its validity window. */
export function isOffered(
  doc: Pick<DocumentRow, 'archivedAt' | 'validFrom' | 'validUntil'>,
  now = new Date(),
) {
  return statusOf(doc, now) === 'active';
}

function statusOf(doc: Pick<DocumentRow, 'archivedAt' | 'validFrom' | 'validUntil'>, now = new Date()) {
  const today = todayUtc(now);
  if (doc.archivedAt) return 'archived' as const;
  if (doc.validUntil && doc.validUntil < today) return 'expired' as const;
  if (doc.validFrom && doc.validFrom > today) return 'scheduled' as const;
  return 'active' as const;
}

export function toFileView(
  row: DocumentFileRow,
  state: { current: boolean; missing: boolean },
): DocumentFileView {
  return {
    id: row.id,
    locale: isLocale(row.locale) ? row.locale : null,
    version: row.version,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    current: state.current,
    watermarked: isStamped(row.contentType),
    missing: state.missing,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * What the admin must hear about a document's current files: a gated one served without the stamp
 * (only PDFs are stamped), and stored bytes that are gone (visitors get 404 for them).
 */
export function documentWarnings(
  row: Pick<DocumentRow, 'accessLevel'>,
  currentFiles: DocumentFileView[],
): DocumentWarning[] {
  const warnings: DocumentWarning[] = [];
  if (row.accessLevel !== 'public' && currentFiles.some((file) => !file.watermarked))
    warnings.push('gated-file-not-watermarked');
  if (currentFiles.some((file) => file.missing)) warnings.push('file-missing');
  return warnings;
}

function toView(row: DocumentRow, currentFiles: DocumentFileRow[], missing: Set<string>): DocumentView {
  const current = currentFiles.map((file) =>
    toFileView(file, { current: true, missing: missing.has(file.id) }),
  );
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    accessLevel: row.accessLevel as AccessLevel,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    position: row.position,
    status: statusOf(row),
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    currentFiles: current,
    warnings: documentWarnings(row, current),
  };
}

export async function listDocuments(
  ctx: AppContext,
  query: ListDocumentsQuery,
): Promise<{ items: DocumentView[]; nextCursor: string | null }> {
  const q = ctx.database.db;
  const rows = await findDocuments(q, {
    search: query.q,
    accessLevel: query.accessLevel,
    archived: query.archived ?? false,
    after: query.cursor === undefined ? undefined : parseCursor(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const files = await findCurrentFiles(
    q,
    page.map((row) => row.id),
  );
  const missing = await findMissingStoredFiles(ctx.files, files);
  const last = page.at(-1);
  return {
    items: page.map((row) =>
      toView(
        row,
        files.filter((file) => file.documentId === row.id),
        missing,
      ),
    ),
    nextCursor: rows.length > query.limit && last ? `${last.position}.${last.slug}` : null,
  };
}

/** `<position>.<slug>`, as `listDocuments` hands it out. */
function parseCursor(cursor: string): { position: number; slug: string } {
  const match = /^(\d{1,5})\.([a-z0-9-]{1,100})$/.exec(cursor);
  if (!match) {
    throw problems.validation([
      { in: 'querystring', pointer: '/cursor', detail: 'not a cursor from a previous page' },
    ]);
  }
  return { position: Number(match[1]), slug: match[2] as string };
}

export async function getDocument(ctx: AppContext, documentId: string): Promise<DocumentDetailView> {
  return detailOf(ctx, ctx.database.db, documentId);
}

async function detailOf(
  ctx: Pick<AppContext, 'config' | 'files'>,
  q: Queryable,
  documentId: string,
): Promise<DocumentDetailView> {
  const row = await findDocument(q, documentId);
  if (!row) throw documentProblems.documentNotFound(documentId);
  const files = await findFiles(q, documentId);
  const current = new Set((await findCurrentFiles(q, [documentId])).map((file) => file.id));
  const missing = await findMissingStoredFiles(ctx.files.within(q), files);
  return {
    ...toView(
      row,
      files.filter((file) => current.has(file.id)),
      missing,
    ),
    files: files.map((file) =>
      toFileView(file, { current: current.has(file.id), missing: missing.has(file.id) }),
    ),
  };
}

export async function createDocument(
  ctx: AppContext,
  actor: Actor,
  input: CreateDocumentBody,
): Promise<DocumentDetailView> {
  return ctx.database.db.transaction(async (tx) => {
    const row = await insertDocument(tx, {
      slug: input.slug,
      title: input.title,
      description: input.description ?? {},
      accessLevel: input.accessLevel,
      validFrom: input.validFrom ?? null,
      validUntil: input.validUntil ?? null,
      position: input.position ?? 0,
    });
    if (!row) throw documentProblems.slugTaken(input.slug);
    await recordAudit(tx, actor, {
      action: 'trust.document.created',
      targetType: 'trust-document',
      targetId: row.id,
      details: { slug: row.slug, accessLevel: row.accessLevel },
    });
    return detailOf(ctx, tx, row.id);
  });
}

/**
 * Changes a document's fields in the draft. Visitors see a change of access level, slug, dates or texts
 * only once it is published (downloads and requests read the published snapshot); dates must stay in order.
 */
export async function updateDocument(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  input: UpdateDocumentBody,
): Promise<DocumentDetailView> {
  try {
    return await ctx.database.db.transaction(async (tx) => {
      const before = await findDocument(tx, documentId, { lock: true });
      if (!before) throw documentProblems.documentNotFound(documentId);
      const validFrom = input.validFrom === undefined ? before.validFrom : input.validFrom;
      const validUntil = input.validUntil === undefined ? before.validUntil : input.validUntil;
      if (validFrom && validUntil && validFrom > validUntil) {
        throw problems.validation([
          { in: 'body', pointer: '/validUntil', detail: `must not be before validFrom (${validFrom})` },
        ]);
      }
      await updateDocumentRow(tx, documentId, input);
      const changed = Object.keys(input).filter(
        (key) =>
          JSON.stringify(input[key as keyof UpdateDocumentBody]) !==
          JSON.stringify(before[key as keyof DocumentRow]),
      );
      await recordAudit(tx, actor, {
        action: 'trust.document.updated',
        targetType: 'trust-document',
        targetId: documentId,
        details: {
          changed,
          ...(input.accessLevel
            ? { accessLevel: input.accessLevel, previousAccessLevel: before.accessLevel }
            : {}),
        },
      });
      return detailOf(ctx, tx, documentId);
    });
  } catch (error) {
    if (input.slug && isUniqueViolation(error)) throw documentProblems.slugTaken(input.slug);
    throw error;
  }
}

/** Archives a document: it leaves the site at the next publication and can't be downloaded at once. */
export async function archiveDocument(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
): Promise<DocumentDetailView> {
  return ctx.database.db.transaction(async (tx) => {
    const before = await findDocument(tx, documentId, { lock: true });
    if (!before) throw documentProblems.documentNotFound(documentId);
    if (!before.archivedAt) {
      await updateDocumentRow(tx, documentId, { archivedAt: new Date() });
      await recordAudit(tx, actor, {
        action: 'trust.document.archived',
        targetType: 'trust-document',
        targetId: documentId,
        details: { slug: before.slug },
      });
    }
    return detailOf(ctx, tx, documentId);
  });
}
