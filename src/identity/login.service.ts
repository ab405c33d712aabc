import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { Actor, RequestOrigin, SessionActor } from '../core/http/actor.ts';
import { queueMail } from '../core/mail/mail.jobs.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import { claimAttempt, clearFailures, recordFailure, throttleKey } from './login-throttle.ts';
import { checkUserTotp, secondFactorsOf } from './mfa.service.ts';
import { verifyPassword } from './passwords.ts';
import { identityProblems } from './problems.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import { startSession, toSessionActor } from './sessions.service.ts';
import { deleteSession } from './sessions.store.ts';
import {
  consumeRecoveryCode,
  countUnusedRecoveryCodes,
  findUser,
  findUserByEmail,
  type UserRow,
} from './users.store.ts';

const anonymous = (origin: RequestOrigin): Actor => ({ type: 'anonymous', ...origin });

/**
 * First step of sign-in. Wrong password, unknown e-mail, disabled account and a locked address all
 * give the same answer; each failure is audited and counted. The attempt is claimed on the address's
 * counter before the password is checked, so a flood of guesses meets the limit, not Argon2.
 */
export async function loginWithPassword(
  ctx: AppContext,
  input: { email: string; password: string; origin: RequestOrigin; replacingSession?: string },
) {
  const db = ctx.database.db;
  const key = throttleKey(ctx.keyring, input.email);
  const locked = !(await claimAttempt(db, key, ctx.config)).allowed;
  const user = await findUserByEmail(db, input.email);
  const passwordOk = !locked && (await verifyPassword(user?.passwordHash, input.password));
  if (locked || !user || !passwordOk || user.status !== 'active') {
    const reason = locked ? 'locked' : !user ? 'unknown-email' : !passwordOk ? 'wrong-password' : 'disabled';
    await db.transaction(async (tx) => {
      const lockedUntil = locked ? undefined : await recordFailure(tx, key, ctx.config);
      await recordAudit(tx, anonymous(input.origin), {
        action: 'identity.login.failed',
        targetType: user ? 'user' : undefined,
        targetId: user?.id,
        details: {
          email: input.email,
          reason,
          ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}),
        },
      });
      if (lockedUntil && user) {
        const { organizationName } = await getSettings(tx, organizationDefaults(ctx));
        await queueMail(ctx, tx, {
          to: user.email,
          template: 'account-locked',
          locale: user.locale as 'en',
          cause: anonymous(input.origin),
          vars: { organizationName, until: lockedUntil },
        });
      }
    });
    throw identityProblems.invalidCredentials();
  }
  const { methods, state } = await secondFactorsOf(db, user);
  return db.transaction(async (tx) => {
    await clearFailures(tx, key);
    const started = await startSession(ctx, tx, {
      userId: user.id,
      state,
      origin: input.origin,
      replacing: input.replacingSession,
    });
    const sessionActor = toSessionActor(started.session, user, input.origin);
    if (state === 'active') {
      await recordAudit(tx, sessionActor, {
        action: 'identity.login.succeeded',
        targetType: 'user',
        targetId: user.id,
        details: { method: 'password' },
      });
    } else {
      await recordAudit(tx, sessionActor, {
        action: 'identity.login.password-verified',
        targetType: 'user',
        targetId: user.id,
        details: { next: state },
      });
    }
    return { token: started.token, state, methods };
  });
}

/** Second step with a TOTP code or a recovery code. Rotates the session: the pending cookie dies. */
export async function loginWithSecondFactor(
  ctx: AppContext,
  actor: SessionActor,
  input: { method: 'totp' | 'recovery'; code: string },
) {
  if (actor.session.state !== 'mfa_required') throw identityProblems.noPendingLogin();
  const db = ctx.database.db;
  const user = await findUser(db, actor.user.id);
  if (!user) throw identityProblems.noPendingLogin();
  const key = throttleKey(ctx.keyring, user.email);
  const allowed = (await claimAttempt(db, key, ctx.config)).allowed;
  const ok =
    allowed &&
    (input.method === 'totp'
      ? await checkUserTotp(ctx, db, user, input.code)
      : await consumeRecoveryCode(db, user.id, hashRecoveryCode(input.code)));
  if (!ok) {
    await db.transaction(async (tx) => {
      await recordFailure(tx, key, ctx.config);
      await recordAudit(tx, actor, {
        action: 'identity.login.mfa-failed',
        targetType: 'user',
        targetId: user.id,
        details: { method: input.method, reason: allowed ? 'wrong-code' : 'locked' },
      });
    });
    throw identityProblems.invalidCode();
  }
  return completeSecondFactor(ctx, actor, user, input.method);
}

/** Shared end of every successful second factor (TOTP, recovery code, passkey). */
export async function completeSecondFactor(
  ctx: AppContext,
  actor: SessionActor,
  user: UserRow,
  method: string,
) {
  return ctx.database.db.transaction(async (tx) => {
    await clearFailures(tx, throttleKey(ctx.keyring, user.email));
    const started = await startSession(ctx, tx, {
      userId: user.id,
      state: 'active',
      origin: actor,
      replacing: actor.session.id,
    });
    await recordAudit(tx, actor, {
      action: 'identity.login.succeeded',
      targetType: 'user',
      targetId: user.id,
      details: { method },
    });
    const remainingRecoveryCodes = await countUnusedRecoveryCodes(tx, user.id);
    return { token: started.token, state: 'active' as const, remainingRecoveryCodes };
  });
}

export async function logout(ctx: AppContext, actor: SessionActor): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    await deleteSession(tx, actor.session.id);
    await recordAudit(tx, actor, {
      action: 'identity.logout.succeeded',
      targetType: 'user',
      targetId: actor.user.id,
    });
  });
}
