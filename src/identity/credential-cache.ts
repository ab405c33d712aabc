/**
 * API tokens as last read from the database, for a few seconds: an authenticated read would otherwise
 * spend a query (a join with the creator) on every request. Revocation semantics:
 * - in this process, every write that can end or narrow a token (revocation, a creator's role or status)
 *   calls forgetCredentials(), so the next request reads the database again: at once;
 * - in another process sharing the database, a cached token is believed for at most
 *   CREDENTIAL_CACHE_MS, then read again.
 * Only tokens that were valid are kept (an unknown token costs a query each time, as before), and
 * expiry is checked on every request against the cached expiry.
 */
export const CREDENTIAL_CACHE_MS = 2_000;
const MAX_ENTRIES = 10_000;

type Entry<T> = { readAt: number; value: T };

const entries = new Map<string, Entry<unknown>>();
let generation = 0;

/** Drops every cached token: called on any write that may revoke or narrow one, before and after commit. */
export function forgetCredentials(): void {
  generation += 1;
  entries.clear();
}

/** The cached value for `key` if read less than CREDENTIAL_CACHE_MS ago. */
export function cachedCredential<T>(key: string, now: number): T | undefined {
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (now - entry.readAt >= CREDENTIAL_CACHE_MS) {
    entries.delete(key);
    return undefined;
  }
  return entry.value as T;
}

/**
 * Reads with `read` and keeps the answer, unless a forgetCredentials() happened meanwhile (the read
 * may have seen the row from before that write).
 */
export async function readCredential<T>(key: string, now: number, read: () => Promise<T>): Promise<T> {
  const before = generation;
  const value = await read();
  if (generation === before) {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, { readAt: now, value });
  }
  return value;
}
