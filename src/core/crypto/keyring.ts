import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KeyringError } from './errors.ts';

/** AES-256 needs exactly 32 key bytes. */
export const KEY_BYTES = 32;

/** File under the data directory that holds the generated key when none is configured. */
export const KEY_FILE_NAME = 'secret.key';

/**
 * Data-encryption keys. `current` seals new values; `keys` (id → key) holds current and
 * previous keys so values sealed before a rotation can still be opened and re-sealed.
 */
export type Keyring = {
  current: { id: string; key: Buffer };
  keys: Map<string, Buffer>;
};

export type LoadKeyringOptions = {
  /** Base64 (standard or url-safe) 32-byte key, normally from ATTEST_SECRET_KEY. */
  secretKey?: string;
  /** Retired keys (ATTEST_PREVIOUS_SECRET_KEYS), same encoding, still accepted for decryption. */
  previousKeys?: string[];
  /** Where `secret.key` is read from or generated into when `secretKey` is absent. */
  dataDir: string;
  /** Called with the file path after a new key file was generated, so the caller can warn. */
  onGenerated?: (path: string) => void;
};

// Both alphabets, optional padding; surrounding whitespace (a trailing newline in a file or
// env var) is trimmed before this check.
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Builds the keyring from configuration, falling back to `<dataDir>/secret.key`.
 *
 * Without `secretKey`, reads the key file; if it does not exist, generates a random key and
 * writes it with mode 0600 (creating `dataDir` with mode 0700 if needed), then calls
 * `onGenerated(path)`. Losing that file makes encrypted data unrecoverable, hence the hook.
 *
 * Throws KeyringError when a key is not valid base64 of exactly 32 bytes (naming
 * ATTEST_SECRET_KEY, the ATTEST_PREVIOUS_SECRET_KEYS entry, or the file), and lets fs errors other
 * than "file missing" propagate (e.g. EACCES), since guessing past them could fork the key.
 */
export function loadKeyring(options: LoadKeyringOptions): Keyring {
  const current =
    options.secretKey !== undefined
      ? decodeKey(options.secretKey, 'ATTEST_SECRET_KEY')
      : readOrCreateKeyFile(options.dataDir, options.onGenerated);

  const currentId = keyIdFor(current);
  const keys = new Map<string, Buffer>([[currentId, current]]);
  (options.previousKeys ?? []).forEach((encoded, index) => {
    const key = decodeKey(encoded, `ATTEST_PREVIOUS_SECRET_KEYS entry #${index + 1}`);
    // The current key wins if an operator lists it again among the previous ones.
    if (!keys.has(keyIdFor(key))) keys.set(keyIdFor(key), key);
  });

  return { current: { id: currentId, key: current }, keys };
}

/** A new random 32-byte key, standard base64 (44 chars), e.g. for `attest generate-key`. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * Public identifier of a key: first 8 hex chars of SHA-256 of the raw key bytes. Stored in
 * every sealed value so decryption picks the right key after rotation.
 */
export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function decodeKey(encoded: string, label: string): Buffer {
  const trimmed = encoded.trim();
  // Buffer.from silently skips characters outside the alphabet, so check first: a key with a
  // stray character would otherwise decode to different bytes than the operator intended.
  if (!BASE64_PATTERN.test(trimmed)) {
    throw new KeyringError(`${label} must be 32 bytes encoded in base64 (got characters outside base64)`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyringError(`${label} must be 32 bytes encoded in base64 (got ${key.length} bytes)`);
  }
  return key;
}

function readOrCreateKeyFile(dataDir: string, onGenerated?: (path: string) => void): Buffer {
  const path = join(dataDir, KEY_FILE_NAME);
  const existing = readIfExists(path);
  if (existing !== undefined) return decodeKey(existing, `key file ${path}`);

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const encoded = generateKey();
  let fd: number;
  try {
    // 'wx' fails if another process created the file meanwhile; we then use its key instead
    // of overwriting it, so two instances starting together can't end up with different keys.
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return decodeKey(readFileSync(path, 'utf8'), `key file ${path}`);
    throw error;
  }
  try {
    writeSync(fd, `${encoded}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  onGenerated?.(path);
  return decodeKey(encoded, `key file ${path}`);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
