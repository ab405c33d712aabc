/** The data-encryption key configuration is unusable; the message says which key and why. */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** Why a sealed value could not be opened; callers may branch on it, users see only the message. */
export type DecryptionFailure = 'malformed' | 'unknown-key' | 'authentication-failed' | 'invalid-utf8';

/**
 * A sealed value could not be opened. The message names the failure class (and at most the
 * public key id), never key material or plaintext, so it is safe to log.
 */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
  readonly reason: DecryptionFailure;

  constructor(reason: DecryptionFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}
