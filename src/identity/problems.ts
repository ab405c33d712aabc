import { problem } from '../core/http/problem.ts';

/** Identity's problem catalog; titles live in src/core/i18n/locales/<locale>/problems.json. */
export const identityProblems = {
  invalidCredentials: () =>
    problem(401, 'invalid-credentials', 'The e-mail or password is wrong, or sign-in is locked for a while.'),
  invalidCode: () => problem(401, 'invalid-code', 'That code is wrong, expired or was already used.'),
  noPendingLogin: () => problem(409, 'no-pending-login', 'There is no sign-in waiting for a second factor.'),
  setupDone: () => problem(409, 'setup-complete', 'Attest already has an owner; sign in instead.'),
  setupTokenInvalid: () =>
    problem(
      404,
      'setup-token-invalid',
      'This setup link is wrong, expired or already used; restart the server or run `attest setup-link` for a new one.',
    ),
  totpNotStarted: () => problem(409, 'totp-enrolment-not-started', 'Start TOTP enrolment first.'),
  mfaMandatory: () => problem(409, 'mfa-mandatory', 'Your role must keep a second factor.'),
  userNotFound: (userId: string) => problem(404, 'user-not-found', `No user with id ${userId}.`),
  emailTaken: (email: string) => problem(409, 'email-taken', `A user with e-mail ${email} already exists.`),
  roleNotGrantable: (role: string) =>
    problem(403, 'role-not-grantable', `Your role cannot grant the role ${role}.`),
  lastOwner: () => problem(409, 'last-owner', 'Attest must keep at least one active owner.'),
  invitationNotFound: () =>
    problem(404, 'invitation-not-found', 'This invitation is wrong, expired, revoked or already used.'),
  resetTokenInvalid: () =>
    problem(404, 'reset-token-invalid', 'This password-reset link is wrong, expired or already used.'),
  tokenNotFound: (tokenId: string) => problem(404, 'token-not-found', `No API token with id ${tokenId}.`),
  sessionNotFound: (sessionId: string) =>
    problem(404, 'session-not-found', `No session with id ${sessionId}.`),
  passkeyNotFound: (passkeyId: string) =>
    problem(404, 'passkey-not-found', `No passkey with id ${passkeyId}.`),
  passkeyFailed: (reason: string) =>
    problem(400, 'passkey-verification-failed', `The passkey could not be verified: ${reason}`),
  wrongPassword: () => problem(403, 'wrong-password', 'The current password is wrong.'),
  stepUpRequired: () =>
    problem(
      403,
      'step-up-required',
      'Changing a second factor needs your password and a current second factor (TOTP code, recovery code or passkey).',
    ),
  stepUpFailed: () =>
    problem(
      403,
      'step-up-failed',
      'The password or the current second factor is wrong, or these checks are locked for a while.',
    ),
};
