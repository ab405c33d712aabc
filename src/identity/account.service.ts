import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { Tx } from '../core/db/index.ts';
import type { SessionActor } from '../core/http/actor.ts';
import { queueMail } from '../core/mail/mail.jobs.ts';
import type { MfaChange } from '../core/mail/templates.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import { enableTotp, issueRecoveryCodes, openTotpSecret, sealTotpSecret } from './mfa.service.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { identityProblems } from './problems.ts';
import { startSession } from './sessions.service.ts';
import {
  deleteSession,
  deleteUserSessions,
  findSessionByPublicId,
  findUserSessions,
  updateSession,
} from './sessions.store.ts';
import { type StepUpProof, verifyStepUp } from './step-up.service.ts';
import { describeTotpEnrolment, generateTotpSecret, verifyTotp } from './totp.ts';
import { findUser, type UserRow, updateUser } from './users.store.ts';
import { toUserView } from './views.ts';

async function currentUser(ctx: AppContext, actor: SessionActor): Promise<UserRow> {
  const user = await findUser(ctx.database.db, actor.user.id);
  if (!user) throw identityProblems.userNotFound(actor.user.id);
  return user;
}

/** Tells a user by mail that their second factors changed (someone else may have done it). */
export async function mailMfaChange(
  ctx: AppContext,
  tx: Tx,
  user: { email: string; locale: string },
  change: MfaChange,
) {
  const { organizationName } = await getSettings(tx, organizationDefaults(ctx));
  await queueMail(ctx, tx, {
    to: user.email,
    template: 'mfa-changed',
    locale: user.locale as 'en',
    vars: { organizationName, change, time: new Date() },
  });
}

export async function updateProfile(
  ctx: AppContext,
  actor: SessionActor,
  input: { name?: string; locale?: 'en' | 'es' | 'fr' },
) {
  const updated = await updateUser(ctx.database.db, actor.user.id, input);
  return toUserView(updated);
}

/** Changes the password after checking the current one; other sessions end, this one is rotated. */
export async function changePassword(
  ctx: AppContext,
  actor: SessionActor,
  input: { currentPassword: string; newPassword: string },
) {
  const user = await currentUser(ctx, actor);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw identityProblems.wrongPassword();
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.database.db.transaction(async (tx) => {
    await updateUser(tx, user.id, { passwordHash });
    await deleteUserSessions(tx, user.id, { exceptId: actor.session.id });
    const started = await startSession(ctx, tx, {
      userId: user.id,
      state: 'active',
      origin: actor,
      replacing: actor.session.id,
    });
    await recordAudit(tx, actor, {
      action: 'identity.password.changed',
      targetType: 'user',
      targetId: user.id,
    });
    const { organizationName } = await getSettings(tx, organizationDefaults(ctx));
    await queueMail(ctx, tx, {
      to: user.email,
      template: 'password-changed',
      locale: user.locale as 'en',
      vars: { organizationName, time: new Date() },
    });
    return { token: started.token };
  });
}

/** Starts (re-)enrolling TOTP: the new secret waits, sealed, on the session until a code confirms it. */
export async function startTotpEnrolment(ctx: AppContext, actor: SessionActor) {
  const secret = generateTotpSecret();
  await updateSession(ctx.database.db, actor.session.id, {
    pendingTotpSecret: sealTotpSecret(ctx, secret, 'session', actor.session.id),
  });
  const { organizationName } = await getSettings(ctx.database.db, organizationDefaults(ctx));
  return describeTotpEnrolment(secret, actor.user.email, organizationName);
}

/**
 * Confirms the pending secret with a code; a session waiting for enrolment becomes a full one.
 * Outside that first enrolment (which follows the password step and has no factor yet) it replaces
 * or adds a factor, so the password and a current factor are checked too (verifyStepUp).
 */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  actor: SessionActor,
  input: StepUpProof & { code: string },
) {
  const code = input.code;
  const [row] = (await findUserSessions(ctx.database.db, actor.user.id)).filter(
    (s) => s.id === actor.session.id,
  );
  if (!row?.pendingTotpSecret) throw identityProblems.totpNotStarted();
  const secret = openTotpSecret(ctx, row.pendingTotpSecret, 'session', actor.session.id);
  const step = verifyTotp(secret, code, null);
  if (step === undefined) throw identityProblems.invalidCode();
  const wasEnrolment = actor.session.state === 'mfa_enrolment_required';
  const verifiedWith = wasEnrolment
    ? 'sign-in-password'
    : (await verifyStepUp(ctx, actor, input, 'totp-enrolment')).method;
  const user = await currentUser(ctx, actor);
  return ctx.database.db.transaction(async (tx) => {
    const recoveryCodes = await enableTotp(ctx, tx, user.id, secret, step);
    const started = await startSession(ctx, tx, {
      userId: user.id,
      state: 'active',
      origin: actor,
      replacing: actor.session.id,
    });
    await deleteUserSessions(tx, user.id, { exceptId: started.session.id });
    await recordAudit(tx, actor, {
      action: user.totpEnabledAt ? 'identity.mfa.totp-replaced' : 'identity.mfa.enabled',
      targetType: 'user',
      targetId: user.id,
      details: { method: 'totp', verifiedWith },
    });
    if (wasEnrolment) {
      await recordAudit(tx, actor, {
        action: 'identity.login.succeeded',
        targetType: 'user',
        targetId: user.id,
        details: { method: 'totp-enrolment' },
      });
    }
    await mailMfaChange(ctx, tx, user, 'enabled');
    return { token: started.token, recoveryCodes };
  });
}

/** New recovery codes replace the old ones: a factor change, so the password and a current factor are checked. */
export async function regenerateRecoveryCodes(ctx: AppContext, actor: SessionActor, proof: StepUpProof) {
  if (!(await currentUser(ctx, actor)).totpEnabledAt) throw identityProblems.totpNotStarted();
  const { user, method } = await verifyStepUp(ctx, actor, proof, 'recovery-codes');
  return ctx.database.db.transaction(async (tx) => {
    const recoveryCodes = await issueRecoveryCodes(tx, user.id);
    await recordAudit(tx, actor, {
      action: 'identity.mfa.recovery-codes-regenerated',
      targetType: 'user',
      targetId: user.id,
      details: { verifiedWith: method },
    });
    await mailMfaChange(ctx, tx, user, 'recovery-codes-regenerated');
    return { recoveryCodes };
  });
}

export async function listMySessions(ctx: AppContext, actor: SessionActor) {
  const rows = await findUserSessions(ctx.database.db, actor.user.id);
  return {
    items: rows.map((row) => ({
      id: row.publicId,
      current: row.id === actor.session.id,
      ip: row.ip,
      userAgent: row.userAgent,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
    })),
  };
}

export async function revokeMySession(ctx: AppContext, actor: SessionActor, publicId: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const row = await findSessionByPublicId(tx, actor.user.id, publicId);
    if (!row) throw identityProblems.sessionNotFound(publicId);
    await deleteSession(tx, row.id);
    await recordAudit(tx, actor, {
      action: 'identity.session.revoked',
      targetType: 'session',
      targetId: publicId,
    });
  });
}
