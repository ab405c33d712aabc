import { randomBytes } from 'node:crypto';
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../core/config/config.ts';
import { decrypt, encrypt, isSealedWithCurrentKey, type Keyring } from '../../core/crypto/index.ts';

/**
 * Document files at rest: `<dataDir>/trust-files/<storageKey>`, each sealed with the keyring's current key
 * (AES-256-GCM through core/crypto) and bound to its file row by the associated data `trust.file:<fileId>`,
 * so a file copied over another one fails to open. The storage key is random and says nothing about the
 * document; paths never leave this module (errors thrown here are never shown to a client: the HTTP error
 * handler answers them as a bare 500).
 *
 * With several Attest processes on one PostgreSQL, the data folder must be shared between them (the same
 * volume), or a file uploaded through one process can't be downloaded through another.
 */
export type DocumentStorage = Pick<Config, 'dataDir'> & { keyring: Keyring };

export const STORAGE_FOLDER = 'trust-files';

const STORAGE_KEY_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** A new random storage key: 24 random bytes, base64url (32 characters). */
export function newStorageKey(): string {
  return randomBytes(24).toString('base64url');
}

function pathFor(storage: DocumentStorage, storageKey: string): string {
  // Keys come from our own rows, but a key is never allowed to name anything outside the folder.
  if (!STORAGE_KEY_PATTERN.test(storageKey)) throw new Error('invalid storage key');
  return path.join(storage.dataDir, STORAGE_FOLDER, storageKey);
}

function associatedData(fileId: string): string {
  return `trust.file:${fileId}`;
}

/**
 * Encrypts `bytes` and writes them under a new random key, atomically: a temporary file in the same
 * folder is written and flushed to disk, then renamed into place, so a reader sees the whole file or
 * none. Call it before the database row that points at the key commits, and `removeDocumentFile` if
 * that commit fails.
 *
 * @returns the storage key to record in the file row.
 */
export async function writeDocumentFile(
  storage: DocumentStorage,
  fileId: string,
  bytes: Uint8Array,
): Promise<string> {
  const storageKey = newStorageKey();
  const target = pathFor(storage, storageKey);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const sealed = encrypt(
    storage.keyring,
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    associatedData(fileId),
  );
  await writeAtomically(target, sealed);
  return storageKey;
}

/**
 * Re-encrypts one stored file under the keyring's current key if an earlier key sealed it (key
 * rotation), replacing it atomically under the same storage key. Returns whether it was rewritten.
 */
export async function resealDocumentFile(
  storage: DocumentStorage,
  fileId: string,
  storageKey: string,
): Promise<boolean> {
  const target = pathFor(storage, storageKey);
  const sealed = await readFile(target, 'utf8');
  if (isSealedWithCurrentKey(storage.keyring, sealed)) return false;
  const plaintext = decrypt(storage.keyring, sealed, associatedData(fileId));
  await writeAtomically(target, encrypt(storage.keyring, plaintext, associatedData(fileId)));
  return true;
}

/** Temp file in the same folder, flushed, renamed over `target`, folder flushed: all or nothing. */
async function writeAtomically(target: string, sealed: string): Promise<void> {
  const temporary = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(sealed, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, target);
  await syncFolder(path.dirname(target));
}

/** Flushes the folder entry so the rename survives a crash (POSIX; a no-op where folders can't be opened). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) refuse fsync on a folder; the rename itself is still atomic there.
  } finally {
    await handle.close();
  }
}

/**
 * Reads and decrypts a stored file. Throws (ENOENT, or DecryptionError when the file was altered, moved
 * under another row's key, or sealed with a key no longer in the keyring).
 */
export async function readDocumentFile(
  storage: DocumentStorage,
  fileId: string,
  storageKey: string,
): Promise<Buffer> {
  const sealed = await readFile(pathFor(storage, storageKey), 'utf8');
  return decrypt(storage.keyring, sealed, associatedData(fileId));
}

/** Whether a stored file is in the data folder (the admin list flags files lost or left out of a restore). */
export async function storedFileExists(storage: Pick<DocumentStorage, 'dataDir'>, storageKey: string) {
  try {
    await access(pathFor(storage as DocumentStorage, storageKey));
    return true;
  } catch {
    return false;
  }
}

/** The ids of these files whose stored bytes are not in the data folder. */
export async function findMissingStoredFiles(
  storage: Pick<DocumentStorage, 'dataDir'>,
  files: { id: string; storageKey: string }[],
): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const file of files) {
    if (!(await storedFileExists(storage, file.storageKey))) missing.add(file.id);
  }
  return missing;
}

/** Removes a stored file; a missing file is not an error (removal is clean-up after a failed commit). */
export async function removeDocumentFile(storage: DocumentStorage, storageKey: string): Promise<void> {
  await rm(pathFor(storage, storageKey), { force: true });
}

/** The absolute path of a stored file, for tests that inspect the bytes at rest. Never put it in a response. */
export function storedFilePath(storage: DocumentStorage, storageKey: string): string {
  return pathFor(storage, storageKey);
}
