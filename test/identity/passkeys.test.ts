import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, login, type MadeUser, makeUser, type Session, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';
import { SoftwareAuthenticator } from '../helpers/webauthn-authenticator.ts';

const API = '/api/v1/identity';

describe('passkeys as a second factor', () => {
  let t: TestApp;
  let rpId: string;
  let origin: string;

  beforeAll(async () => {
    t = await buildTestApp();
    const url = new URL(t.ctx.config.publicUrl);
    rpId = url.hostname;
    origin = url.origin;
  });
  afterAll(() => t.close());

  const newAuthenticator = (options: { credentialId?: Buffer } = {}) =>
    new SoftwareAuthenticator({ rpId, origin, ...options });

  /** Every call from its own address, so the per-IP limits on sign-in routes never trip across the suite. */
  const call = (options: InjectOptions) => t.app.inject({ remoteAddress: uniqueIp(), ...options });

  const holders = new Map<Session, MadeUser>();
  const spentCodes = new Map<string, number>();
  async function signedIn(
    role: 'admin' | 'employee' = 'admin',
  ): Promise<{ made: MadeUser; session: Session }> {
    const made = await makeUser(t.ctx, { role });
    const session = await login(t.app, made, { remoteAddress: uniqueIp() });
    holders.set(session, made);
    return { made, session };
  }

  /** The password and an unused recovery code (when enrolled): what a factor change needs. */
  function stepUp(session: Session) {
    const made = holders.get(session);
    if (!made) throw new Error('unknown session');
    const used = spentCodes.get(made.user.id) ?? 0;
    spentCodes.set(made.user.id, used + 1);
    const code = made.recoveryCodes[used];
    return { password: made.password, ...(code ? { currentCode: code } : {}) };
  }

  async function registrationOptions(session: Session) {
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys/options`,
      headers: session.headers,
      payload: stepUp(session),
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  /** Options, then the authenticator's answer: the whole registration ceremony. */
  async function registerPasskey(session: Session, authenticator: SoftwareAuthenticator, name = 'Laptop') {
    const { challenge } = await registrationOptions(session);
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: { name, response: authenticator.register(challenge) },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; name: string; createdAt: string; lastUsedAt: string | null };
  }

  /** Signs in with the password only; the session waits for a second factor. */
  async function passwordStep(made: MadeUser) {
    const res = await call({
      method: 'POST',
      url: `${API}/login`,
      payload: { email: made.user.email, password: made.password },
    });
    expect(res.statusCode).toBe(200);
    const cookie = cookieFrom(res.headers['set-cookie']);
    const session = await call({ method: 'GET', url: `${API}/session`, headers: { cookie } });
    return { body: res.json(), headers: { cookie, 'x-csrf-token': session.json().csrfToken as string } };
  }

  async function loginOptions(headers: Record<string, string>) {
    const res = await call({ method: 'POST', url: `${API}/login/webauthn/options`, headers });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  const sendAssertion = (headers: Record<string, string>, response: unknown) =>
    call({ method: 'POST', url: `${API}/login/webauthn`, headers, payload: { response } });

  const listPasskeys = async (session: Session) => {
    const res = await call({ method: 'GET', url: `${API}/me/passkeys`, headers: session.headers });
    expect(res.statusCode).toBe(200);
    return res.json().items as { id: string; name: string; lastUsedAt: string | null }[];
  };

  /** An admin with TOTP and one registered passkey. */
  async function adminWithPasskey() {
    const { made, session } = await signedIn('admin');
    const authenticator = newAuthenticator();
    const passkey = await registerPasskey(session, authenticator);
    return { made, session, authenticator, passkey };
  }

  it('offers registration options for this server, with attestation none and user verification preferred', async () => {
    const { made, session } = await signedIn();
    const options = await registrationOptions(session);
    expect(options).toMatchObject({
      rp: { id: rpId, name: 'Attest' },
      user: { name: made.user.email, displayName: made.user.name },
      attestation: 'none',
      authenticatorSelection: { userVerification: 'preferred' },
      excludeCredentials: [],
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('registers a passkey for a signed-in admin and lists it', async () => {
    const { made, session } = await signedIn('admin');
    const passkey = await registerPasskey(session, newAuthenticator(), 'YubiKey 5');
    expect(passkey).toMatchObject({ name: 'YubiKey 5', lastUsedAt: null });
    expect(await listPasskeys(session)).toEqual([passkey]);

    const audit = (await auditEntries(t.ctx, 'identity.mfa.passkey-added')).filter(
      (e) => e.actorId === made.user.id,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        targetId: made.user.id,
        details: { method: 'webauthn', passkeyId: passkey.id, name: 'YubiKey 5' },
      }),
    ]);
    const mails = await queuedMails(t.ctx, made.user.email);
    expect(mails.at(-1)?.text).toContain('A new passkey was added');
  });

  it('excludes the passkeys a user already has from new registration options', async () => {
    const { session, authenticator } = await adminWithPasskey();
    const options = await registrationOptions(session);
    expect(options.excludeCredentials).toEqual([
      { id: authenticator.id, type: 'public-key', transports: ['internal'] },
    ]);
  });

  it('signs in with password then passkey, ending in an active, audited session', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const pending = await passwordStep(made);
    expect(pending.body).toEqual({ state: 'mfa_required', methods: ['totp', 'recovery', 'webauthn'] });

    const options = await loginOptions(pending.headers);
    expect(options).toMatchObject({ rpId, userVerification: 'preferred' });
    expect(options.allowCredentials).toEqual([
      { id: authenticator.id, type: 'public-key', transports: ['internal'] },
    ]);

    const res = await sendAssertion(pending.headers, authenticator.authenticate(options.challenge));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ state: 'active', remainingRecoveryCodes: 9 }); // one proved adding the passkey

    const cookie = cookieFrom(res.headers['set-cookie']);
    const session = await call({ method: 'GET', url: `${API}/session`, headers: { cookie } });
    expect(session.json()).toMatchObject({ state: 'active', user: { email: made.user.email } });
    // The pending session was rotated away.
    expect(
      (await call({ method: 'GET', url: `${API}/session`, headers: { cookie: pending.headers.cookie } }))
        .statusCode,
    ).toBe(401);

    const succeeded = (await auditEntries(t.ctx, 'identity.login.succeeded')).filter(
      (e) => e.targetId === made.user.id,
    );
    expect(succeeded.at(-1)?.details).toEqual({ method: 'webauthn' });
    const signedIn = {
      cookie,
      csrfToken: session.json().csrfToken,
      headers: { cookie, 'x-csrf-token': session.json().csrfToken },
    };
    expect((await listPasskeys(signedIn))[0]?.lastUsedAt).not.toBeNull();
    const users = await call({ method: 'GET', url: `${API}/users`, headers: signedIn.headers });
    const me = (users.json().items as { id: string; lastLoginAt: string | null }[]).find(
      (u) => u.id === made.user.id,
    );
    expect(Date.parse(me?.lastLoginAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a replayed assertion from an earlier sign-in', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const first = await passwordStep(made);
    const assertion = authenticator.authenticate((await loginOptions(first.headers)).challenge);
    expect((await sendAssertion(first.headers, assertion)).statusCode).toBe(200);

    const second = await passwordStep(made);
    await loginOptions(second.headers);
    const res = await sendAssertion(second.headers, assertion);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'passkey-verification-failed' });
    expect(res.json().detail).toContain('different challenge');
  });

  it('accepts a challenge only once: after a failed attempt, a correct answer to it is refused', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const pending = await passwordStep(made);
    const { challenge } = await loginOptions(pending.headers);
    const impostor = newAuthenticator({ credentialId: authenticator.credentialId });
    expect((await sendAssertion(pending.headers, impostor.authenticate(challenge))).statusCode).toBe(401);

    const res = await sendAssertion(pending.headers, authenticator.authenticate(challenge));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'passkey-verification-failed' });
    expect(res.json().detail).toContain('request new options');
  });

  it('refuses an assertion signed by another key, and audits the failure', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const pending = await passwordStep(made);
    const { challenge } = await loginOptions(pending.headers);
    const impostor = newAuthenticator({ credentialId: authenticator.credentialId });
    const res = await sendAssertion(pending.headers, impostor.authenticate(challenge));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'invalid-code' });
    const failures = (await auditEntries(t.ctx, 'identity.login.mfa-failed')).filter(
      (e) => e.targetId === made.user.id,
    );
    expect(failures).toEqual([
      expect.objectContaining({ details: { method: 'webauthn', reason: 'bad-signature' } }),
    ]);
  });

  it("refuses another user's passkey at sign-in", async () => {
    const { made } = await adminWithPasskey();
    const other = await adminWithPasskey();
    const pending = await passwordStep(made);
    const { challenge } = await loginOptions(pending.headers);
    const res = await sendAssertion(pending.headers, other.authenticator.authenticate(challenge));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'invalid-code' });
  });

  it('refuses a signature counter that goes backwards', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const first = await passwordStep(made);
    const assertion = authenticator.authenticate((await loginOptions(first.headers)).challenge, {
      signCount: 5,
    });
    expect((await sendAssertion(first.headers, assertion)).statusCode).toBe(200);

    const second = await passwordStep(made);
    const { challenge } = await loginOptions(second.headers);
    const res = await sendAssertion(second.headers, authenticator.authenticate(challenge, { signCount: 3 }));
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('counter');
  });

  it('answers a malformed assertion with a 400 problem, not a 500', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const pending = await passwordStep(made);
    const assertion = authenticator.authenticate((await loginOptions(pending.headers)).challenge);
    assertion.response.clientDataJSON = Buffer.from('not json').toString('base64url');
    const res = await sendAssertion(pending.headers, assertion);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'passkey-verification-failed' });
  });

  it('refuses even a correct passkey once repeated failures have locked sign-in', async () => {
    const { made, authenticator } = await adminWithPasskey();
    const pending = await passwordStep(made);
    const impostor = newAuthenticator({ credentialId: authenticator.credentialId });
    for (let attempt = 0; attempt < t.ctx.config.loginMaxFailures; attempt++) {
      const { challenge } = await loginOptions(pending.headers);
      expect((await sendAssertion(pending.headers, impostor.authenticate(challenge))).statusCode).toBe(401);
    }
    const { challenge } = await loginOptions(pending.headers);
    const res = await sendAssertion(pending.headers, authenticator.authenticate(challenge));
    expect(res.statusCode).toBe(401);
    const failures = (await auditEntries(t.ctx, 'identity.login.mfa-failed')).filter(
      (e) => e.targetId === made.user.id,
    );
    expect(failures.at(-1)?.details).toEqual({ method: 'webauthn', reason: 'locked' });
  });

  it('refuses webauthn options to an account without passkeys', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const pending = await passwordStep(made);
    const res = await call({
      method: 'POST',
      url: `${API}/login/webauthn/options`,
      headers: pending.headers,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('no passkey');
  });

  it('answers webauthn options with 409 when no sign-in waits for a second factor', async () => {
    const { session } = await adminWithPasskey();
    const res = await call({
      method: 'POST',
      url: `${API}/login/webauthn/options`,
      headers: session.headers,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'no-pending-login' });
  });

  it('refuses a registration answered from another origin', async () => {
    const { session } = await signedIn();
    const { challenge } = await registrationOptions(session);
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: {
        name: 'Phishing',
        response: newAuthenticator().register(challenge, { origin: 'https://attacker.example' }),
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('https://attacker.example');
    expect(await listPasskeys(session)).toEqual([]);
  });

  it('refuses a registration without a pending challenge', async () => {
    const { session } = await signedIn();
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: { name: 'Laptop', response: newAuthenticator().register('bm90LWlzc3VlZA') },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'passkey-verification-failed' });
  });

  it('refuses registering the same credential twice', async () => {
    const { session, authenticator } = await adminWithPasskey();
    const { challenge } = await registrationOptions(session);
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: { name: 'Again', response: authenticator.register(challenge) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('already registered');
  });

  it('answers a malformed attestation object with a 400 problem, not a 500', async () => {
    const { session } = await signedIn();
    const { challenge } = await registrationOptions(session);
    const response = newAuthenticator().register(challenge);
    response.response.attestationObject = 'AAAA';
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: { name: 'Broken', response },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'passkey-verification-failed' });
  });

  it('answers a signature counter too large to store with a 400 problem, not a 500', async () => {
    const { session } = await signedIn();
    const { challenge } = await registrationOptions(session);
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: { name: 'Odd', response: newAuthenticator().register(challenge, { signCount: 0xffffffff }) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('out of range');
  });

  it('answers a registration response of the wrong shape with 422', async () => {
    const { session } = await signedIn();
    const res = await call({
      method: 'POST',
      url: `${API}/me/passkeys`,
      headers: session.headers,
      payload: { name: 'Laptop', response: { id: 'abc', type: 'public-key' } },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'validation-failed' });
  });

  it("answers 404 for another user's passkey and leaves it in place", async () => {
    const owner = await adminWithPasskey();
    const { session } = await signedIn();
    const res = await call({
      method: 'DELETE',
      url: `${API}/me/passkeys/${owner.passkey.id}`,
      headers: session.headers,
      payload: stepUp(session),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'passkey-not-found' });
    expect(await listPasskeys(owner.session)).toHaveLength(1);
  });

  it('removes a passkey, audits it and mails the user', async () => {
    const { made, session, passkey } = await adminWithPasskey();
    const res = await call({
      method: 'DELETE',
      url: `${API}/me/passkeys/${passkey.id}`,
      headers: session.headers,
      payload: stepUp(session),
    });
    expect(res.statusCode).toBe(204);
    expect(await listPasskeys(session)).toEqual([]);
    const audit = (await auditEntries(t.ctx, 'identity.mfa.passkey-removed')).filter(
      (e) => e.actorId === made.user.id,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        details: { method: 'webauthn', passkeyId: passkey.id, name: 'Laptop', verifiedWith: 'recovery' },
      }),
    ]);
    expect((await queuedMails(t.ctx, made.user.email)).at(-1)?.text).toContain('A passkey was removed');
    const pending = await passwordStep(made);
    expect(pending.body.methods).not.toContain('webauthn');
  });

  it('keeps passkey management away from a sign-in still waiting for its second factor', async () => {
    const { made } = await adminWithPasskey();
    const pending = await passwordStep(made);
    const res = await call({ method: 'POST', url: `${API}/me/passkeys/options`, headers: pending.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'mfa-required' });
  });
});
