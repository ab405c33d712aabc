import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/identity/tables.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { login, type MadeUser, makeUser, type Session, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';
import { SoftwareAuthenticator } from '../helpers/webauthn-authenticator.ts';

const ME = '/api/v1/identity/me';

type Proof = { password?: string; currentCode?: string };
type Signed = { made: MadeUser; session: Session };

/**
 * Issue 7 item 8: a stolen session alone cannot change a second factor. Every factor change needs
 * the password and a current factor: missing → 403 step-up-required, wrong → 403 step-up-failed
 * (audited), both right → done and audited with how it was proven.
 */
describe('changing a second factor needs the password and a current factor', () => {
  let t: TestApp;
  let rpId: string;
  let origin: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const url = new URL(t.ctx.config.publicUrl);
    rpId = url.hostname;
    origin = url.origin;
  });
  afterAll(() => t?.close());

  const call = (options: InjectOptions) => t.app.inject({ remoteAddress: uniqueIp(), ...options });
  const post = (session: Session, url: string, payload: object = {}) =>
    call({ method: 'POST', url, headers: session.headers, payload });

  async function signedIn(role: 'admin' | 'employee' = 'admin'): Promise<Signed> {
    const made = await makeUser(t.ctx, { role });
    return { made, session: await login(t.app, made, { remoteAddress: uniqueIp() }) };
  }

  async function withPasskey(signed: Signed, authenticator: SoftwareAuthenticator) {
    const proof = { password: signed.made.password, currentCode: signed.made.recoveryCodes[9] };
    const options = await post(signed.session, `${ME}/passkeys/options`, proof);
    expect(options.statusCode).toBe(200);
    const added = await post(signed.session, `${ME}/passkeys`, {
      name: 'Key',
      response: authenticator.register(options.json().challenge),
    });
    expect(added.statusCode).toBe(201);
    return added.json().id as string;
  }

  const passkeyOf = new Map<string, string>();
  /** Each factor change, as a request given the proof; `ok` is its success status. */
  const operations: {
    name: string;
    ok: number;
    run(signed: Signed, proof: Proof): Promise<{ statusCode: number; json(): { code?: string } }>;
  }[] = [
    {
      name: 'TOTP re-enrolment',
      ok: 200,
      async run(signed, proof) {
        const setup = await post(signed.session, `${ME}/totp/setup`);
        expect(setup.statusCode).toBe(200);
        return post(signed.session, `${ME}/totp/confirm`, {
          code: currentTotp(setup.json().secret),
          ...proof,
        });
      },
    },
    {
      name: 'recovery code regeneration',
      ok: 200,
      run: (signed, proof) => post(signed.session, `${ME}/recovery-codes`, proof),
    },
    {
      name: 'adding a passkey',
      ok: 200,
      run: (signed, proof) => post(signed.session, `${ME}/passkeys/options`, proof),
    },
    {
      name: 'removing a passkey',
      ok: 204,
      async run(signed, proof) {
        const id =
          passkeyOf.get(signed.made.user.id) ??
          (await withPasskey(signed, new SoftwareAuthenticator({ rpId, origin })));
        passkeyOf.set(signed.made.user.id, id);
        return call({
          method: 'DELETE',
          url: `${ME}/passkeys/${id}`,
          headers: signed.session.headers,
          payload: proof,
        });
      },
    },
  ];

  for (const operation of operations) {
    it(`${operation.name}: refuses no password, no factor, a wrong password or a wrong code; takes both right`, async () => {
      const signed = await signedIn('admin');
      const { password, recoveryCodes } = signed.made;
      const refusals: [Proof, string][] = [
        [{}, 'step-up-required'],
        [{ currentCode: recoveryCodes[0] }, 'step-up-required'],
        [{ password }, 'step-up-required'],
        [{ password: 'not the password', currentCode: recoveryCodes[0] }, 'step-up-failed'],
        [{ password, currentCode: '000000' }, 'step-up-failed'],
        [{ password, currentCode: 'aaaaa-bbbbb' }, 'step-up-failed'],
      ];
      for (const [proof, code] of refusals) {
        const res = await operation.run(signed, proof);
        if (!proof.password) {
          // Where the password is always needed, the schema itself refuses the request.
          expect([403, 422]).toContain(res.statusCode);
          expect(['step-up-required', 'validation-failed']).toContain(res.json().code);
          continue;
        }
        expect(res.statusCode, `${JSON.stringify(proof)} → ${code}`).toBe(403);
        expect(res.json().code).toBe(code);
      }
      const failures = (await auditEntries(t.ctx, 'identity.mfa.step-up-failed')).filter(
        (entry) => entry.targetId === signed.made.user.id,
      );
      expect(
        failures.map((entry) => entry.details.reason).filter((reason) => reason !== 'no-password'),
      ).toEqual(['no-second-factor', 'wrong-password', 'wrong-code', 'wrong-code']);
      // The recovery code offered with a wrong password was not spent: it still proves the change.
      const done = await operation.run(signed, { password, currentCode: recoveryCodes[0] });
      expect(done.statusCode).toBe(operation.ok);
    });
  }

  it('records how a change was proven in its audit entry', async () => {
    const signed = await signedIn('admin');
    const res = await post(signed.session, `${ME}/recovery-codes`, {
      password: signed.made.password,
      currentCode: signed.made.recoveryCodes[3],
    });
    expect(res.statusCode).toBe(200);
    expect(await auditEntries(t.ctx, 'identity.mfa.recovery-codes-regenerated')).toContainEqual(
      expect.objectContaining({ targetId: signed.made.user.id, details: { verifiedWith: 'recovery' } }),
    );
  });

  it('accepts a current TOTP code, and refuses it replayed', async () => {
    const signed = await signedIn('admin');
    const code = currentTotp(signed.made.totpSecret as string);
    const proof = { password: signed.made.password, currentCode: code };
    // The sign-in just used this time step: the same code again is a replay.
    const replay = await post(signed.session, `${ME}/recovery-codes`, proof);
    expect(replay.statusCode).toBe(403);
    expect(replay.json().code).toBe('step-up-failed');
    // As if the next time step had come (no 30 s wait): the code is fresh once, then spent.
    await t.ctx.database.db.update(users).set({ totpLastStep: 0 }).where(eq(users.id, signed.made.user.id));
    const fresh = await post(signed.session, `${ME}/recovery-codes`, proof);
    expect(fresh.statusCode).toBe(200);
    expect(await auditEntries(t.ctx, 'identity.mfa.recovery-codes-regenerated')).toContainEqual(
      expect.objectContaining({ targetId: signed.made.user.id, details: { verifiedWith: 'totp' } }),
    );
    expect((await post(signed.session, `${ME}/recovery-codes`, proof)).statusCode).toBe(403);
  });

  it('accepts a passkey assertion as the current factor', async () => {
    const signed = await signedIn('admin');
    const authenticator = new SoftwareAuthenticator({ rpId, origin });
    const id = await withPasskey(signed, authenticator);
    const options = await post(signed.session, `${ME}/step-up/passkey-options`);
    expect(options.statusCode).toBe(200);
    const assertion = authenticator.authenticate(options.json().challenge);
    const removed = await call({
      method: 'DELETE',
      url: `${ME}/passkeys/${id}`,
      headers: signed.session.headers,
      payload: { password: signed.made.password, currentPasskey: assertion },
    });
    expect(removed.statusCode).toBe(204);
    expect(await auditEntries(t.ctx, 'identity.mfa.passkey-removed')).toContainEqual(
      expect.objectContaining({
        targetId: signed.made.user.id,
        details: expect.objectContaining({ passkeyId: id, verifiedWith: 'webauthn' }),
      }),
    );
  });

  it('asks a user without any factor for the password before their first authenticator', async () => {
    const signed = await signedIn('employee');
    const setup = await post(signed.session, `${ME}/totp/setup`);
    const code = currentTotp(setup.json().secret);
    const bare = await post(signed.session, `${ME}/totp/confirm`, { code });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().code).toBe('step-up-required');
    const proven = await post(signed.session, `${ME}/totp/confirm`, { code, password: signed.made.password });
    expect(proven.statusCode).toBe(200);
  });
});
