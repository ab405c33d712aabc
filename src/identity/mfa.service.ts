import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { AppContext } from '../core/context.ts';
import { decryptString, encrypt } from '../core/crypto/index.ts';
import type { Queryable } from '../core/db/index.ts';
import type { RoleName } from '../core/http/actor.ts';
import { requiresMfa } from './permissions.ts';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.ts';
import { users } from './tables.ts';
import { verifyTotp } from './totp.ts';
import { countPasskeys, replaceRecoveryCodes, type UserRow, updateUser } from './users.store.ts';

/** Associated data binding a sealed TOTP secret to its owner and purpose. */
export const totpAad = (scope: string, id: string) => `identity.totp:${scope}:${id}`;

export function sealTotpSecret(ctx: AppContext, secret: string, scope: string, id: string): string {
  return encrypt(ctx.keyring, secret, totpAad(scope, id));
}

export function openTotpSecret(ctx: AppContext, sealed: string, scope: string, id: string): string {
  return decryptString(ctx.keyring, sealed, totpAad(scope, id));
}

/** Checks a user's TOTP code and records its time step so the same code can't be used twice. */
export async function checkUserTotp(
  ctx: AppContext,
  q: Queryable,
  user: UserRow,
  code: string,
): Promise<boolean> {
  if (!user.totpSecret) return false;
  const secret = openTotpSecret(ctx, user.totpSecret, 'user', user.id);
  const step = verifyTotp(secret, code, user.totpLastStep);
  if (step === undefined) return false;
  // Compare-and-set: of two requests racing with the same code, only one moves the step forward.
  const claimed = await q
    .update(users)
    .set({ totpLastStep: step, updatedAt: new Date() })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return claimed.length > 0;
}

/** Enables TOTP with a confirmed secret and issues fresh recovery codes (returned once, stored hashed). */
export async function enableTotp(
  ctx: AppContext,
  q: Queryable,
  userId: string,
  secret: string,
  step: number,
) {
  await updateUser(q, userId, {
    totpSecret: sealTotpSecret(ctx, secret, 'user', userId),
    totpEnabledAt: new Date(),
    totpLastStep: step,
  });
  return issueRecoveryCodes(q, userId);
}

export async function issueRecoveryCodes(q: Queryable, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await replaceRecoveryCodes(q, userId, codes.map(hashRecoveryCode));
  return codes;
}

export type LoginMethod = 'totp' | 'recovery' | 'webauthn';

/** Which second factors a user can sign in with, and the state a fresh password login starts in. */
export async function secondFactorsOf(q: Queryable, user: UserRow) {
  const passkeyCount = await countPasskeys(q, user.id);
  const methods: LoginMethod[] = [];
  if (user.totpEnabledAt) methods.push('totp', 'recovery');
  if (passkeyCount > 0) methods.push('webauthn');
  const state =
    methods.length > 0
      ? ('mfa_required' as const)
      : requiresMfa(user.role as RoleName)
        ? ('mfa_enrolment_required' as const)
        : ('active' as const);
  return { methods, state };
}
