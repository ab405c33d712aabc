import { eq, isNotNull } from 'drizzle-orm';
import type { AppContext } from '../core/context.ts';
import { isSealedWithCurrentKey } from '../core/crypto/index.ts';
import { openTotpSecret, sealTotpSecret } from './mfa.service.ts';
import { users } from './tables.ts';

/**
 * Re-seals identity's encrypted fields (TOTP secrets) under the keyring's current key. Run after
 * moving the old key to ATTEST_PREVIOUS_SECRET_KEYS; when it reports 0 left, the old key can go.
 * Pending enrolments on sessions are short-lived and simply expire.
 */
export async function resealIdentitySecrets(ctx: AppContext): Promise<{ resealed: number }> {
  const rows = await ctx.database.db
    .select({ id: users.id, totpSecret: users.totpSecret })
    .from(users)
    .where(isNotNull(users.totpSecret));
  let resealed = 0;
  for (const row of rows) {
    if (!row.totpSecret || isSealedWithCurrentKey(ctx.keyring, row.totpSecret)) continue;
    const secret = openTotpSecret(ctx, row.totpSecret, 'user', row.id);
    await ctx.database.db
      .update(users)
      .set({ totpSecret: sealTotpSecret(ctx, secret, 'user', row.id) })
      .where(eq(users.id, row.id));
    resealed += 1;
  }
  return { resealed };
}
