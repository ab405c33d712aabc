import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { SessionActor } from '../core/http/actor.ts';
import { claimAttempt, clearFailures, recordFailure, throttleKey } from './login-throttle.ts';
import { checkUserTotp, secondFactorsOf } from './mfa.service.ts';
import { checkPasskeyStepUp } from './passkeys.service.ts';
import { verifyPassword } from './passwords.ts';
import { identityProblems } from './problems.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import { consumeRecoveryCode, findUser, type UserRow } from './users.store.ts';

/** What a signed-in user gives to change a second factor: the password and a current factor. */
export type StepUpProof = {
  password?: string | undefined;
  /** A current TOTP code, or one of the recovery codes (spent when used). */
  currentCode?: string | undefined;
  /** An assertion answering POST /me/step-up/passkey-options. */
  currentPasskey?: AuthenticationResponseJSON | undefined;
};

export type StepUpMethod = 'password' | 'totp' | 'recovery' | 'webauthn';

const TOTP_SHAPE = /^\d{6,8}$/;

/**
 * Proves the person holding this session is the account's owner before a second factor changes, so
 * a stolen session cookie cannot swap the factor and lock the owner out: the password, plus a
 * current factor when the account has one (TOTP code, recovery code or passkey assertion).
 * Attempts count towards the sign-in lockout; failures are audited as `identity.mfa.step-up-failed`.
 * Returns how the user proved it, for the change's own audit entry.
 */
export async function verifyStepUp(
  ctx: AppContext,
  actor: SessionActor,
  proof: StepUpProof,
  operation: string,
): Promise<{ user: UserRow; method: StepUpMethod }> {
  const db = ctx.database.db;
  const user = await findUser(db, actor.user.id);
  if (!user) throw identityProblems.userNotFound(actor.user.id);
  const { methods } = await secondFactorsOf(db, user);
  const hasFactor = methods.length > 0;
  const factorGiven = Boolean(proof.currentCode || proof.currentPasskey);
  if (!proof.password || (hasFactor && !factorGiven)) {
    await audit(ctx, actor, operation, proof.password ? 'no-second-factor' : 'no-password');
    throw identityProblems.stepUpRequired();
  }
  const key = throttleKey(ctx.keyring, user.email);
  const fail = async (reason: string): Promise<never> => {
    await ctx.database.db.transaction(async (tx) => {
      await recordFailure(tx, key, ctx.config);
      await recordAudit(tx, actor, failedEvent(user.id, operation, reason));
    });
    throw identityProblems.stepUpFailed();
  };
  if (!(await claimAttempt(db, key, ctx.config)).allowed) return fail('locked');
  if (!(await verifyPassword(user.passwordHash, proof.password))) return fail('wrong-password');
  let method: StepUpMethod = 'password';
  if (hasFactor) {
    if (proof.currentPasskey) {
      if (!methods.includes('webauthn')) return fail('no-passkey');
      const checked = await checkPasskeyStepUp(ctx, actor, proof.currentPasskey);
      if (!checked.ok) return fail(`passkey-${checked.reason}`);
      method = 'webauthn';
    } else {
      const code = (proof.currentCode ?? '').trim();
      if (user.totpEnabledAt && TOTP_SHAPE.test(code)) {
        if (!(await checkUserTotp(ctx, db, user, code))) return fail('wrong-code');
        method = 'totp';
      } else {
        if (!(await consumeRecoveryCode(db, user.id, hashRecoveryCode(code)))) return fail('wrong-code');
        method = 'recovery';
      }
    }
  }
  await clearFailures(db, key);
  return { user, method };
}

function failedEvent(userId: string, operation: string, reason: string) {
  return {
    action: 'identity.mfa.step-up-failed',
    targetType: 'user',
    targetId: userId,
    details: { operation, reason },
  };
}

async function audit(ctx: AppContext, actor: SessionActor, operation: string, reason: string) {
  await ctx.database.db.transaction((tx) =>
    recordAudit(tx, actor, failedEvent(actor.user.id, operation, reason)),
  );
}
