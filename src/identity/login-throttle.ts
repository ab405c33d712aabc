import { and, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { Config } from '../core/config/config.ts';
import { emailHash, type Keyring } from '../core/crypto/index.ts';
import type { Queryable } from '../core/db/index.ts';
import { loginThrottle } from './tables.ts';

type ThrottleConfig = Pick<Config, 'loginMaxFailures' | 'loginLockoutSeconds'>;

/**
 * Counts sign-in attempts per e-mail address, whether or not an account has that address, so a
 * lockout looks the same for every address and reveals nothing about which accounts exist.
 */
export function throttleKey(keyring: Keyring, email: string): string {
  // Keyed: a plain hash of the address would let anyone with the table confirm who tried to sign in.
  return emailHash(keyring, 'login-throttle', email);
}

/**
 * Claims one attempt before any credential is checked, in a single atomic statement: the row's
 * counter goes up first and the answer says whether this attempt may go on. So at most
 * `loginMaxFailures` attempts per window ever reach the password (or second-factor) check, however
 * many arrive at once: a read-then-write check let 88 of 200 concurrent guesses through.
 *
 * `failures` counts attempts claimed in the window (failed ones and ones still being checked); a
 * success deletes the row (`clearFailures`). Refused attempts stop counting at max + 1.
 */
export async function claimAttempt(
  q: Queryable,
  key: string,
  config: ThrottleConfig,
  now = new Date(),
): Promise<{ allowed: boolean }> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = sql`${new Date(now.getTime() - config.loginLockoutSeconds * 1000).toISOString()}::timestamptz`;
  // A window that has run out (and no lock still running) starts again at this attempt.
  const restart = sql`(${loginThrottle.windowStartedAt} < ${windowStart} and (${loginThrottle.lockedUntil} is null or ${loginThrottle.lockedUntil} <= ${at}))`;
  const [row] = await q
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${restart} then 1 else least(${loginThrottle.failures} + 1, ${config.loginMaxFailures + 1}) end`,
        windowStartedAt: sql`case when ${restart} then ${at} else ${loginThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${restart} then null else ${loginThrottle.lockedUntil} end`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  if (!row) throw new Error('login throttle upsert returned nothing');
  const locked = row.lockedUntil !== null && row.lockedUntil > now;
  return { allowed: !locked && row.failures <= config.loginMaxFailures };
}

/**
 * Records that a claimed attempt failed: once the window holds `loginMaxFailures` claims, the address
 * locks. Returns the lock's end only to the one failure that set it (so one lock means one mail).
 */
export async function recordFailure(
  q: Queryable,
  key: string,
  config: ThrottleConfig,
  now = new Date(),
): Promise<Date | undefined> {
  const lockedUntil = new Date(now.getTime() + config.loginLockoutSeconds * 1000);
  const [row] = await q
    .update(loginThrottle)
    .set({ lockedUntil })
    .where(
      and(
        eq(loginThrottle.key, key),
        gte(loginThrottle.failures, config.loginMaxFailures),
        or(isNull(loginThrottle.lockedUntil), lte(loginThrottle.lockedUntil, now)),
      ),
    )
    .returning({ lockedUntil: loginThrottle.lockedUntil });
  return row?.lockedUntil ?? undefined;
}

export async function clearFailures(q: Queryable, key: string): Promise<void> {
  await q.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
