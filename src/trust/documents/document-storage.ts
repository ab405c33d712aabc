import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, isSealedWithCurrentKey, type Keyring } from '../../core/crypto/index.ts';
import type { FileStore } from '../../core/files/index.ts';

/**
 * Document files at rest: objects `trust-files/<storageKey>` in the file store every process shares (the
 * database by default, an S3-compatible bucket when configured: core/files), each sealed with the
 * keyring's current key (AES-256-GCM through core/crypto) and bound to its file row by the associated
 * data `trust.file:<fileId>`, so an object copied over another one fails to open. The storage key is
 * random and says nothing about the document; keys never leave this module (errors thrown here are never
 * shown to a client: the HTTP error handler answers them as a bare 500).
 */
export type DocumentStorage = { files: FileStore; keyring: Keyring };

/** The area of the file store (and, before 0.x, the data-folder subfolder) document files live in. */
export const STORAGE_FOLDER = 'trust-files';

export const STORAGE_KEY_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** Thrown when a file row's object is not in the store (lost, or a restore without it). */
export class StoredObjectMissing extends Error {
  readonly code = 'ENOENT';
  constructor() {
    super('stored document file is missing');
    this.name = 'StoredObjectMissing';
  }
}

/** A new random storage key: 24 random bytes, base64url (32 characters). */
export function newStorageKey(): string {
  return randomBytes(24).toString('base64url');
}

/** The file-store key of a storage key. Never put it in a response. */
export function objectKeyFor(storageKey: string): string {
  // Keys come from our own rows, but a key is never allowed to name anything outside the area.
  if (!STORAGE_KEY_PATTERN.test(storageKey)) throw new Error('invalid storage key');
  return `${STORAGE_FOLDER}/${storageKey}`;
}

function associatedData(fileId: string): string {
  return `trust.file:${fileId}`;
}

/**
 * Encrypts `bytes` and stores them under a new random key (whole or not at all: a store writes one
 * object at once). Call it before the database row that points at the key commits, and
 * `removeDocumentFile` if that commit fails.
 *
 * @returns the storage key to record in the file row.
 */
export async function writeDocumentFile(
  storage: DocumentStorage,
  fileId: string,
  bytes: Uint8Array,
): Promise<string> {
  const storageKey = newStorageKey();
  const sealed = encrypt(
    storage.keyring,
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    associatedData(fileId),
  );
  await storage.files.put(objectKeyFor(storageKey), sealed);
  return storageKey;
}

/**
 * Re-encrypts one stored file under the keyring's current key if an earlier key sealed it (key
 * rotation), replacing it under the same storage key. Returns whether it was rewritten.
 */
export async function resealDocumentFile(
  storage: DocumentStorage,
  fileId: string,
  storageKey: string,
): Promise<boolean> {
  const key = objectKeyFor(storageKey);
  const sealed = await storage.files.get(key);
  if (sealed === undefined) throw new StoredObjectMissing();
  if (isSealedWithCurrentKey(storage.keyring, sealed)) return false;
  const plaintext = decrypt(storage.keyring, sealed, associatedData(fileId));
  await storage.files.put(key, encrypt(storage.keyring, plaintext, associatedData(fileId)));
  return true;
}

/**
 * Reads and decrypts a stored file. Throws StoredObjectMissing, or DecryptionError when the object was
 * altered, moved under another row's key, or sealed with a key no longer in the keyring.
 */
export async function readDocumentFile(
  storage: DocumentStorage,
  fileId: string,
  storageKey: string,
): Promise<Buffer> {
  const sealed = await storage.files.get(objectKeyFor(storageKey));
  if (sealed === undefined) throw new StoredObjectMissing();
  return decrypt(storage.keyring, sealed, associatedData(fileId));
}

/** The ids of these files whose stored bytes are not in the store (the admin list flags them). */
export async function findMissingStoredFiles(
  files: FileStore,
  rows: { id: string; storageKey: string }[],
): Promise<Set<string>> {
  const present = await files.existing(rows.map((row) => objectKeyFor(row.storageKey)));
  return new Set(rows.filter((row) => !present.has(objectKeyFor(row.storageKey))).map((row) => row.id));
}

/** Removes a stored file; a missing file is not an error (removal is clean-up after a failed commit). */
export async function removeDocumentFile(storage: DocumentStorage, storageKey: string): Promise<void> {
  await storage.files.remove(objectKeyFor(storageKey));
}
