import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A random, URL-safe token (session ids, invitation and reset tokens, CSRF tokens).
 *
 * @param bytes number of random bytes (entropy), default 32 = 256 bits; the returned string is
 *   about 4/3 as long. Throws RangeError unless a positive integer, so a typo can't yield ''.
 * @returns base64url without padding, drawn from the OS CSPRNG.
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1) {
    throw new RangeError(`randomToken: bytes must be a positive integer (got ${bytes})`);
  }
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 as lowercase hex (64 chars). Strings are hashed as UTF-8. Used to store lookup
 * hashes of high-entropy tokens; never use it for passwords (those go through argon2).
 */
export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

/**
 * Compares two secrets without leaking, through timing, where they first differ.
 *
 * Both strings are compared as UTF-8 bytes. Returns false (never throws) when the byte
 * lengths differ; the length itself is not secret for the fixed-size tokens we compare.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
