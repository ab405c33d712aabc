import { createHmac, hkdfSync } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/**
 * Lookup hashes of e-mail addresses (who reported, who is locked out), keyed so the database alone
 * cannot confirm an address: HMAC-SHA256 under a key derived (HKDF-SHA256, RFC 5869) from the current
 * data key. A plain SHA-256 of an address is no protection, since anyone can hash a guessed address.
 */

const VERSION = 'h1';
const derived = new WeakMap<Buffer, Map<EmailHashPurpose, Buffer>>();

/**
 * What the hash is for. Each purpose has its own derived key, so the same address hashed for two
 * purposes gives unrelated values: a login lockout row cannot be matched to a report's reporter.
 */
export type EmailHashPurpose = 'disclosure-reporter' | 'login-throttle';

function hashKey(key: Buffer, purpose: EmailHashPurpose): Buffer {
  let byPurpose = derived.get(key);
  if (!byPurpose) {
    byPurpose = new Map();
    derived.set(key, byPurpose);
  }
  let subkey = byPurpose.get(purpose);
  if (!subkey) {
    const info = `attest email-hash ${VERSION} ${purpose}`;
    subkey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
    byPurpose.set(purpose, subkey);
  }
  return subkey;
}

/** The form every address is hashed in: surrounding space trimmed, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The keyed hash of an address under the keyring's current key: `h1.<keyId>.<64 hex>`. The key id says
 * which key made it, so rows made under an older key (or before hashes were keyed) can be found and
 * rehashed from the sealed address (see `isEmailHashCurrent`). Deterministic: equal addresses (after
 * `normalizeEmail`) give equal hashes under one key and purpose, which is what lookups rely on.
 */
export function emailHash(keyring: Keyring, purpose: EmailHashPurpose, email: string): string {
  const { id, key } = keyring.current;
  const mac = createHmac('sha256', hashKey(key, purpose)).update(normalizeEmail(email), 'utf8').digest('hex');
  return `${VERSION}.${id}.${mac}`;
}

/** Whether `value` is an e-mail hash made by `emailHash` under the current key (else: rehash it). */
export function isEmailHashCurrent(keyring: Keyring, value: string): boolean {
  return value.startsWith(currentEmailHashPrefix(keyring));
}

/** What every current hash starts with, for queries that find the rows still to rehash. */
export function currentEmailHashPrefix(keyring: Keyring): string {
  return `${VERSION}.${keyring.current.id}.`;
}
