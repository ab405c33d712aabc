import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './errors.ts';
import type { Keyring } from './keyring.ts';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[0-9a-f]{8}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * Seals a value with the keyring's current key (AES-256-GCM, random 96-bit IV).
 *
 * @param associatedData names where the value lives, e.g. `identity.users.totp_secret:<userId>`.
 *   It is authenticated but not stored: decrypting requires the same string, so a ciphertext
 *   copied into another row or column fails to open. Must be non-empty (TypeError otherwise).
 * @returns `v1.<keyId>.<iv>.<ciphertext||tag>` with base64url parts; safe to store as text.
 */
export function encrypt(keyring: Keyring, plaintext: string | Buffer, associatedData: string): string {
  if (associatedData.length === 0) {
    throw new TypeError('encrypt: associatedData must name the row and field the value belongs to');
  }
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadFor(id, associatedData));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, id, iv.toString('base64url'), body.toString('base64url')].join('.');
}

/**
 * Opens a value sealed by `encrypt` with any key in the keyring.
 *
 * Throws DecryptionError (reason `malformed`, `unknown-key` or `authentication-failed`) when
 * the value is not in the v1 format, its key is not in the keyring, the associated data
 * differs, or any byte was changed. The error never contains key material.
 */
export function decrypt(keyring: Keyring, sealed: string, associatedData: string): Buffer {
  const parts = parse(sealed);
  const key = keyring.keys.get(parts.keyId);
  if (key === undefined) {
    throw new DecryptionError('unknown-key', `sealed value uses unknown key id ${parts.keyId}`);
  }
  const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aadFor(parts.keyId, associatedData));
  decipher.setAuthTag(parts.tag);
  try {
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch {
    // OpenSSL's message is unhelpful; name the likely causes instead.
    throw new DecryptionError(
      'authentication-failed',
      'sealed value failed authentication (wrong associated data, wrong key, or tampered)',
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `decrypt`, then UTF-8 decode. Also throws DecryptionError (reason `invalid-utf8`) if the
 * plaintext was binary, rather than returning a string with replacement characters.
 */
export function decryptString(keyring: Keyring, sealed: string, associatedData: string): string {
  const plaintext = decrypt(keyring, sealed, associatedData);
  try {
    return utf8.decode(plaintext);
  } catch {
    throw new DecryptionError('invalid-utf8', 'sealed value does not contain UTF-8 text');
  }
}

/** The key id a sealed value was encrypted with. Throws DecryptionError if malformed. */
export function keyIdOf(sealed: string): string {
  return parse(sealed).keyId;
}

/**
 * Whether `sealed` already uses the current key; key rotation re-encrypts the rows for which
 * this is false. Throws DecryptionError if the value is malformed (it could not be rotated).
 */
export function isSealedWithCurrentKey(keyring: Keyring, sealed: string): boolean {
  return keyIdOf(sealed) === keyring.current.id;
}

type SealedParts = { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer };

function parse(sealed: string): SealedParts {
  const fields = sealed.split('.');
  const [version, keyId, ivText, bodyText] = fields;
  if (
    fields.length !== 4 ||
    version !== VERSION ||
    keyId === undefined ||
    !KEY_ID_PATTERN.test(keyId) ||
    ivText === undefined ||
    bodyText === undefined
  ) {
    throw malformed();
  }
  const iv = decodeBase64Url(ivText);
  const body = decodeBase64Url(bodyText);
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw malformed();
  return {
    keyId,
    iv,
    ciphertext: body.subarray(0, body.length - TAG_BYTES),
    tag: body.subarray(body.length - TAG_BYTES),
  };
}

// Strict: Node's decoder skips invalid characters and ignores non-zero trailing bits, which
// would let several spellings open to the same bytes. Only the canonical encoding is accepted.
function decodeBase64Url(text: string): Buffer {
  if (!BASE64URL_PATTERN.test(text)) throw malformed();
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw malformed();
  return bytes;
}

// The header is authenticated too, so the version and key id can't be rewritten; the NUL
// separator can't occur in the fixed-format header, so the concatenation is unambiguous.
function aadFor(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}\0${associatedData}`, 'utf8');
}

function malformed(): DecryptionError {
  return new DecryptionError('malformed', 'sealed value is not in the v1 format');
}
