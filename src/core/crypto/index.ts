export {
  currentEmailHashPrefix,
  type EmailHashPurpose,
  emailHash,
  isEmailHashCurrent,
  normalizeEmail,
} from './email-hash.ts';
export { decrypt, decryptString, encrypt, isSealedWithCurrentKey, keyIdOf } from './encryption.ts';
export { DecryptionError, type DecryptionFailure, KeyringError } from './errors.ts';
export {
  generateKey,
  KEY_BYTES,
  KEY_FILE_NAME,
  type Keyring,
  keyIdFor,
  type LoadKeyringOptions,
  loadKeyring,
} from './keyring.ts';
export { constantTimeEqual, randomToken, sha256Hex } from './tokens.ts';
