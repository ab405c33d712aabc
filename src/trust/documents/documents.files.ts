import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { DecryptionError, sha256Hex } from '../../core/crypto/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import {
  readDocumentFile,
  removeDocumentFile,
  resealDocumentFile,
  StoredObjectMissing,
  writeDocumentFile,
} from './document-storage.ts';
import { documentProblems } from './documents.problems.ts';
import type { DocumentFileView } from './documents.schemas.ts';
import { toFileView } from './documents.service.ts';
import {
  type DocumentFileRow,
  findAllFileKeys,
  findDocument,
  findFile,
  insertFile,
  nextFileVersion,
} from './documents.store.ts';
import { checkFileType } from './file-type.ts';
import { checkPdf } from './watermark.ts';

/** Largest file an admin may upload: 25 MiB. Stored encrypted (as base64 text, about a third larger). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

export type Upload = {
  fileName: string;
  /** The multipart part's Content-Type, as the client declared it. */
  declaredType: string;
  bytes: Buffer;
  /** null: the file for every locale without its own. */
  locale: Locale | null;
};

/**
 * Adds a file version to a document. The bytes must really be what the name and declared type say
 * (checked by magic numbers), and a PDF must open unencrypted (or it could not be watermarked). The file
 * is encrypted and written to the file store first, then its row and the audit entry commit together;
 * if that commit fails the written file is removed. Earlier versions stay; the newest per locale is current.
 */
export async function uploadDocumentFile(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  upload: Upload,
): Promise<DocumentFileView> {
  const q = ctx.database.db;
  if (!(await findDocument(q, documentId))) throw documentProblems.documentNotFound(documentId);
  if (upload.bytes.length > MAX_FILE_BYTES) throw documentProblems.fileTooLarge(MAX_FILE_BYTES);
  const fileName = cleanFileName(upload.fileName);
  const checked = await checkFileType(upload.bytes, { fileName, contentType: upload.declaredType });
  if (!checked.ok) {
    if (checked.reason === 'unsupported-extension')
      throw documentProblems.fileTypeUnsupported(checked.extension);
    if (checked.reason === 'unrecognized-content') throw documentProblems.fileUnrecognized();
    throw documentProblems.fileTypeMismatch(checked.declared, checked.detected);
  }
  if (checked.type.kind === 'pdf') {
    const pdf = await checkPdf(upload.bytes);
    if (pdf === 'encrypted') throw documentProblems.pdfEncrypted();
    if (pdf === 'unreadable') throw documentProblems.pdfUnreadable();
  }

  const fileId = randomUUID();
  const storage = { files: ctx.files, keyring: ctx.keyring };
  const storageKey = await writeDocumentFile(storage, fileId, upload.bytes);
  try {
    const row = await q.transaction(async (tx) => {
      // The lock serialises concurrent uploads to one document, so version numbers don't collide.
      if (!(await findDocument(tx, documentId, { lock: true })))
        throw documentProblems.documentNotFound(documentId);
      const version = await nextFileVersion(tx, documentId, upload.locale);
      const inserted = await insertFile(tx, {
        id: fileId,
        documentId,
        locale: upload.locale,
        version,
        fileName,
        contentType: checked.type.contentType,
        sizeBytes: upload.bytes.length,
        sha256: sha256Hex(upload.bytes),
        storageKey,
        uploadedBy: actor.type === 'user' ? actor.user.id : null,
      });
      await recordAudit(tx, actor, {
        action: 'trust.document.file-uploaded',
        targetType: 'trust-document',
        targetId: documentId,
        details: {
          fileId,
          locale: upload.locale,
          version,
          fileName,
          contentType: inserted.contentType,
          sizeBytes: inserted.sizeBytes,
          sha256: inserted.sha256,
        },
      });
      return inserted;
    });
    return toFileView(row, { current: true, missing: false });
  } catch (error) {
    await removeDocumentFile(storage, storageKey).catch(() => undefined);
    throw error;
  }
}

/**
 * A stored file for staff to look at (any version, archived documents included), decrypted. Recorded
 * in the audit log before the bytes are handed back.
 */
export async function previewDocumentFile(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  fileId: string,
): Promise<{ file: DocumentFileRow; bytes: Buffer }> {
  const q = ctx.database.db;
  if (!(await findDocument(q, documentId))) throw documentProblems.documentNotFound(documentId);
  const file = await findFile(q, documentId, fileId);
  if (!file) throw documentProblems.documentFileNotFound(fileId);
  const bytes = await readStoredFile(ctx, file).catch((error: unknown) => {
    if (error instanceof StoredFileUnavailable) throw documentProblems.storedFileUnavailable(error);
    throw error;
  });
  await q.transaction((tx) =>
    recordAudit(tx, actor, {
      action: 'trust.document.file-previewed',
      targetType: 'trust-document',
      targetId: documentId,
      details: { fileId, locale: file.locale, version: file.version },
    }),
  );
  return { file, bytes };
}

/**
 * A stored file that can't be served: `missing` when it is not in the file store (lost, or a restore
 * without it), `unreadable` when it does not decrypt (altered, or sealed with a key not configured).
 * Visitors get 404 and staff a problem, never a 500; the admin list flags missing files.
 */
export class StoredFileUnavailable extends Error {
  constructor(
    readonly fileId: string,
    readonly reason: 'missing' | 'unreadable',
    options?: { cause: unknown },
  ) {
    super(`stored file ${fileId} is ${reason}`, options);
    this.name = 'StoredFileUnavailable';
  }
}

/** Decrypts a file row's bytes from the file store; throws StoredFileUnavailable when it can't. */
export async function readStoredFile(
  ctx: AppContext,
  file: Pick<DocumentFileRow, 'id' | 'storageKey'>,
): Promise<Buffer> {
  try {
    return await readDocumentFile({ files: ctx.files, keyring: ctx.keyring }, file.id, file.storageKey);
  } catch (error) {
    if (error instanceof StoredObjectMissing)
      throw new StoredFileUnavailable(file.id, 'missing', { cause: error });
    if (error instanceof DecryptionError)
      throw new StoredFileUnavailable(file.id, 'unreadable', { cause: error });
    throw error;
  }
}

/**
 * The name to keep and to offer on download: the last path segment of what the client sent, without
 * control characters, at most 200 characters (the extension kept).
 */
export function cleanFileName(raw: string): string {
  const base = path.posix
    .basename(raw.replaceAll('\\', '/'))
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  if (base.length <= 200) return base;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
  return base.slice(0, 200 - extension.length) + extension;
}

/**
 * Re-encrypts every stored document file still sealed with an earlier key, after a key rotation (the
 * counterpart of identity's `resealIdentitySecrets`; `attest` should run both). When it reports 0, the
 * old key can leave ATTEST_PREVIOUS_SECRET_KEYS. Safe to run again or while serving: each file is
 * replaced atomically and stays readable with either key meanwhile.
 */
export async function resealDocumentFiles(ctx: AppContext): Promise<{ resealed: number }> {
  const storage = { files: ctx.files, keyring: ctx.keyring };
  let resealed = 0;
  for (const file of await findAllFileKeys(ctx.database.db)) {
    if (await resealDocumentFile(storage, file.id, file.storageKey)) resealed += 1;
  }
  return { resealed };
}
