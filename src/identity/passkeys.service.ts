import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  VerifiedAuthenticationResponse,
  VerifiedRegistrationResponse,
} from '@simplewebauthn/server';
import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db/index.ts';
import type { SessionActor } from '../core/http/actor.ts';
import type { Problem } from '../core/http/problem.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import { mailMfaChange } from './account.service.ts';
import { completeSecondFactor } from './login.service.ts';
import { claimAttempt, recordFailure, throttleKey } from './login-throttle.ts';
import {
  deleteUserPasskey,
  findUserPasskey,
  findUserPasskeyByCredentialId,
  findUserPasskeys,
  insertPasskey,
  type PasskeyRow,
  recordPasskeyUse,
  setSessionChallenge,
  takeSessionChallenge,
} from './passkeys.store.ts';
import { identityProblems } from './problems.ts';
import { type StepUpProof, verifyStepUp } from './step-up.service.ts';
import { findUser, type UserRow } from './users.store.ts';

/** Loaded at the first passkey ceremony, not at start: the library costs ~1 s of a cold start (issue 9). */
const webauthn = () => import('@simplewebauthn/server');

/**
 * How long a ceremony may take. WebAuthn Level 3 §15.1 recommends 300 000–600 000 ms when user
 * verification may happen; the challenge stored on the session expires with it.
 */
const CEREMONY_TIMEOUT_MS = 300_000;
/** `passkeys.counter` is a PostgreSQL integer; a signature counter above this cannot be stored. */
const MAX_STORED_COUNTER = 2 ** 31 - 1;

/** `step-up`: a passkey assertion proving a signed-in user is present before a factor changes. */
type Ceremony = 'registration' | 'authentication' | 'step-up';

export type PasskeyView = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

function toPasskeyView(row: PasskeyRow): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** The relying party is Attest's public URL: its host name is the RP ID, its origin the expected origin. */
function relyingParty(ctx: AppContext): { rpID: string; origin: string } {
  const url = new URL(ctx.config.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

/** `<ceremony>:<issued at, ms>:<challenge>` in `sessions.challenge`; base64url never holds a colon. */
async function storeChallenge(q: Queryable, sessionId: string, ceremony: Ceremony, challenge: string) {
  await setSessionChallenge(q, sessionId, `${ceremony}:${Date.now()}:${challenge}`);
}

/**
 * Takes the session's pending challenge for this ceremony; it is cleared whatever happens next, so
 * each challenge is verified at most once. Returns why there is none instead of throwing.
 */
async function takeChallenge(
  q: Queryable,
  sessionId: string,
  ceremony: Ceremony,
): Promise<{ challenge: string } | { reason: 'no-challenge' | 'challenge-expired'; detail: string }> {
  const stored = await takeSessionChallenge(q, sessionId);
  const [kind, issuedAt, challenge] = stored?.split(':') ?? [];
  if (kind !== ceremony || !challenge) {
    return {
      reason: 'no-challenge',
      detail: `no passkey ${ceremony} is pending on this session; request new options first.`,
    };
  }
  if (Date.now() - Number(issuedAt) > CEREMONY_TIMEOUT_MS) {
    return {
      reason: 'challenge-expired',
      detail: 'the challenge has expired; request new options and try again.',
    };
  }
  return { challenge };
}

/**
 * The library throws on every malformed or mismatching response; its messages name the failed
 * check. A challenge mismatch would quote the expected challenge, so that one is reworded.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (!message) return 'the response could not be read.';
  if (/challenge/i.test(message))
    return 'the response answers a different challenge than the one this session was given.';
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

export async function listMyPasskeys(
  ctx: AppContext,
  actor: SessionActor,
): Promise<{ items: PasskeyView[] }> {
  const rows = await findUserPasskeys(ctx.database.db, actor.user.id);
  return { items: rows.map(toPasskeyView) };
}

/**
 * Registration options for a new passkey; the challenge waits on the session until the answer comes.
 * Adding a factor needs the password and a current factor first, so only a checked session ever
 * holds a registration challenge (addPasskey then needs that challenge).
 */
export async function startPasskeyRegistration(
  ctx: AppContext,
  actor: SessionActor,
  proof: StepUpProof,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await verifyStepUp(ctx, actor, proof, 'passkey-add');
  const db = ctx.database.db;
  const existing = await findUserPasskeys(db, actor.user.id);
  const { organizationName } = await getSettings(db, organizationDefaults(ctx));
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: organizationName,
    rpID: relyingParty(ctx).rpID,
    // The user handle is the user's id, never the e-mail (WebAuthn §14.6.1: no personal data in it).
    userID: new TextEncoder().encode(actor.user.id),
    userName: actor.user.email,
    userDisplayName: actor.user.name,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.credentialId, transports: row.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(db, actor.session.id, 'registration', options.challenge);
  return options;
}

/** Verifies the authenticator's answer to the pending registration and stores the new passkey. */
export async function addPasskey(
  ctx: AppContext,
  actor: SessionActor,
  input: { name: string; response: RegistrationResponseJSON },
): Promise<PasskeyView> {
  const db = ctx.database.db;
  const taken = await takeChallenge(db, actor.session.id, 'registration');
  if (!('challenge' in taken)) throw identityProblems.passkeyFailed(taken.detail);
  const { rpID, origin } = relyingParty(ctx);
  let verification: VerifiedRegistrationResponse;
  try {
    const { verifyRegistrationResponse } = await webauthn();
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: taken.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      // A passkey here is the second factor after the password; 'preferred' asks for UV without demanding it.
      requireUserVerification: false,
    });
  } catch (error) {
    throw identityProblems.passkeyFailed(reasonOf(error));
  }
  if (!verification.verified)
    throw identityProblems.passkeyFailed("the authenticator's attestation is not valid.");
  const { credential } = verification.registrationInfo;
  if (credential.counter > MAX_STORED_COUNTER) {
    throw identityProblems.passkeyFailed(`the signature counter ${credential.counter} is out of range.`);
  }
  return db.transaction(async (tx) => {
    const row = await insertPasskey(tx, {
      userId: actor.user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name: input.name,
    });
    if (!row) throw identityProblems.passkeyFailed('this passkey is already registered.');
    await recordAudit(tx, actor, {
      action: 'identity.mfa.passkey-added',
      targetType: 'user',
      targetId: actor.user.id,
      details: { method: 'webauthn', passkeyId: row.id, name: row.name },
    });
    await mailMfaChange(ctx, tx, actor.user, 'passkey-added');
    return toPasskeyView(row);
  });
}

/**
 * Removes one of the actor's own passkeys (another user's passkey id is not found), after the
 * password and a current factor.
 */
export async function removePasskey(
  ctx: AppContext,
  actor: SessionActor,
  passkeyId: string,
  proof: StepUpProof,
): Promise<void> {
  if (!(await findUserPasskey(ctx.database.db, actor.user.id, passkeyId)))
    throw identityProblems.passkeyNotFound(passkeyId);
  const { method } = await verifyStepUp(ctx, actor, proof, 'passkey-remove');
  await ctx.database.db.transaction(async (tx) => {
    const row = await findUserPasskey(tx, actor.user.id, passkeyId);
    if (!row) throw identityProblems.passkeyNotFound(passkeyId);
    await deleteUserPasskey(tx, actor.user.id, passkeyId);
    await recordAudit(tx, actor, {
      action: 'identity.mfa.passkey-removed',
      targetType: 'user',
      targetId: actor.user.id,
      details: { method: 'webauthn', passkeyId: row.id, name: row.name, verifiedWith: method },
    });
    await mailMfaChange(ctx, tx, actor.user, 'passkey-removed');
  });
}

/** Authentication options for a sign-in waiting for its second factor, limited to the user's passkeys. */
export async function startPasskeyLogin(
  ctx: AppContext,
  actor: SessionActor,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  if (actor.session.state !== 'mfa_required') throw identityProblems.noPendingLogin();
  return assertionOptions(ctx, actor, 'authentication', 'use another second factor.');
}

/**
 * Second sign-in step with a passkey. Every failure is audited and counts towards the lockout,
 * like a wrong TOTP code; success ends exactly like TOTP (see completeSecondFactor).
 */
export async function loginWithPasskey(
  ctx: AppContext,
  actor: SessionActor,
  response: AuthenticationResponseJSON,
) {
  if (actor.session.state !== 'mfa_required') throw identityProblems.noPendingLogin();
  const db = ctx.database.db;
  const user = await findUser(db, actor.user.id);
  if (!user) throw identityProblems.noPendingLogin();
  const refuse = (reason: string, error: Problem) => refuseSecondFactor(ctx, actor, user, reason, error);

  // Taken before anything else, so whatever goes wrong below the challenge cannot be tried again.
  const taken = await takeChallenge(db, actor.session.id, 'authentication');
  if (!(await claimAttempt(db, throttleKey(ctx.keyring, user.email), ctx.config)).allowed)
    return refuse('locked', identityProblems.invalidCode());
  if (!('challenge' in taken)) return refuse(taken.reason, identityProblems.passkeyFailed(taken.detail));
  const checked = await checkAssertion(ctx, user.id, taken.challenge, response);
  if (!checked.ok) return refuse(checked.reason, checked.problem);
  return completeSecondFactor(ctx, actor, user, 'webauthn');
}

type AssertionCheck = { ok: true } | { ok: false; reason: string; problem: Problem };

/**
 * Verifies an assertion against a challenge already taken from the session, with one of this
 * user's passkeys, and moves its signature counter forward. Used at sign-in and for step-up.
 */
async function checkAssertion(
  ctx: AppContext,
  userId: string,
  challenge: string,
  response: AuthenticationResponseJSON,
): Promise<AssertionCheck> {
  const db = ctx.database.db;
  const fail = (reason: string, problem: Problem): AssertionCheck => ({ ok: false, reason, problem });
  // The library does not compare response.id with a stored credential: look it up among this user's only.
  const passkey = await findUserPasskeyByCredentialId(db, userId, response.id);
  if (!passkey) return fail('unknown-credential', identityProblems.invalidCode());

  const { rpID, origin } = relyingParty(ctx);
  let verification: VerifiedAuthenticationResponse;
  try {
    const { verifyAuthenticationResponse } = await webauthn();
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
  } catch (error) {
    // Includes a signature counter that did not increase (a possibly cloned authenticator).
    return fail('verification-failed', identityProblems.passkeyFailed(reasonOf(error)));
  }
  if (!verification.verified) return fail('bad-signature', identityProblems.invalidCode());
  const { newCounter } = verification.authenticationInfo;
  if (newCounter > MAX_STORED_COUNTER) {
    return fail(
      'counter-out-of-range',
      identityProblems.passkeyFailed(`the signature counter ${newCounter} is out of range.`),
    );
  }
  if (!(await recordPasskeyUse(db, passkey.id, { previous: passkey.counter, next: newCounter }))) {
    return fail(
      'counter-race',
      identityProblems.passkeyFailed('this passkey was used by another sign-in at the same moment.'),
    );
  }
  return { ok: true };
}

/** Authentication options proving the signed-in user holds one of their passkeys (step-up). */
export async function startPasskeyStepUp(
  ctx: AppContext,
  actor: SessionActor,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return assertionOptions(ctx, actor, 'step-up', 'use a code.');
}

/**
 * Options asking the browser to prove one of the user's passkeys, with the challenge kept on the session for
 * `purpose` (sign-in or step-up, each single use). No passkey: a problem naming the way out.
 */
async function assertionOptions(
  ctx: AppContext,
  actor: SessionActor,
  purpose: 'authentication' | 'step-up',
  otherwise: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const db = ctx.database.db;
  const rows = await findUserPasskeys(db, actor.user.id);
  if (rows.length === 0) throw identityProblems.passkeyFailed(`this account has no passkey; ${otherwise}`);
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx).rpID,
    allowCredentials: rows.map((row) => ({ id: row.credentialId, transports: row.transports })),
    userVerification: 'preferred',
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await storeChallenge(db, actor.session.id, purpose, options.challenge);
  return options;
}

/** Checks a step-up assertion against the session's pending step-up challenge (single use). */
export async function checkPasskeyStepUp(
  ctx: AppContext,
  actor: SessionActor,
  response: AuthenticationResponseJSON,
): Promise<AssertionCheck> {
  const taken = await takeChallenge(ctx.database.db, actor.session.id, 'step-up');
  if (!('challenge' in taken))
    return { ok: false, reason: taken.reason, problem: identityProblems.passkeyFailed(taken.detail) };
  return checkAssertion(ctx, actor.user.id, taken.challenge, response);
}

async function refuseSecondFactor(
  ctx: AppContext,
  actor: SessionActor,
  user: UserRow,
  reason: string,
  error: Problem,
): Promise<never> {
  await ctx.database.db.transaction(async (tx) => {
    await recordFailure(tx, throttleKey(ctx.keyring, user.email), ctx.config);
    await recordAudit(tx, actor, {
      action: 'identity.login.mfa-failed',
      targetType: 'user',
      targetId: user.id,
      details: { method: 'webauthn', reason },
    });
  });
  throw error;
}
