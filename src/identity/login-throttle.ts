import { eq } from 'drizzle-orm';
import type { Config } from '../core/config/config.ts';
import { emailHash, type Keyring } from '../core/crypto/index.ts';
import type { Queryable } from '../core/db/index.ts';
import { loginThrottle } from './tables.ts';

/**
 * Counts failed sign-ins per e-mail address, whether or not an account has that address, so a
 * lockout looks the same for every address and reveals nothing about which accounts exist.
 */
export function throttleKey(keyring: Keyring, email: string): string {
  // Keyed: a plain hash of the address would let anyone with the table confirm who tried to sign in.
  return emailHash(keyring, 'login-throttle', email);
}

export async function isLocked(q: Queryable, key: string, now = new Date()): Promise<boolean> {
  const [row] = await q.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  return Boolean(row?.lockedUntil && row.lockedUntil > now);
}

/** Records a failure; returns the lock's end when this failure locked the address. */
export async function recordFailure(
  q: Queryable,
  key: string,
  config: Pick<Config, 'loginMaxFailures' | 'loginLockoutSeconds'>,
  now = new Date(),
): Promise<Date | undefined> {
  const [row] = await q.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  const windowExpired =
    !row || now.getTime() - row.windowStartedAt.getTime() > config.loginLockoutSeconds * 1000;
  const failures = windowExpired ? 1 : (row?.failures ?? 0) + 1;
  const lockedUntil =
    failures >= config.loginMaxFailures ? new Date(now.getTime() + config.loginLockoutSeconds * 1000) : null;
  const values = {
    failures,
    windowStartedAt: windowExpired ? now : (row?.windowStartedAt ?? now),
    lockedUntil,
  };
  await q
    .insert(loginThrottle)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: loginThrottle.key, set: values });
  return lockedUntil && failures === config.loginMaxFailures ? lockedUntil : undefined;
}

export async function clearFailures(q: Queryable, key: string): Promise<void> {
  await q.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
