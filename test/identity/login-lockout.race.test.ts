import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/identity/totp.ts';
import { cookieFrom, makeUser, TEST_PASSWORD, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';

const LOGIN = '/api/v1/identity/login';

function attempt(app: FastifyInstance, email: string, password: string) {
  return app.inject({ method: 'POST', url: LOGIN, remoteAddress: uniqueIp(), payload: { email, password } });
}

/** Issue 7 item 5: the lockout is claimed atomically before the check, so a burst can't outrun it. */
describe('sign-in lockout under concurrent attempts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  const reasonsFor = async (action: string, match: (details: Record<string, unknown>) => boolean) =>
    (await auditEntries(t.ctx, action)).filter((entry) => match(entry.details)).map((e) => e.details.reason);

  it('checks at most LOGIN_MAX_FAILURES of 200 concurrent wrong passwords; the rest are refused as locked', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const max = t.ctx.config.loginMaxFailures;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => attempt(t.app, made.user.email, `wrong password ${i}`)),
    );
    expect(answers.every((res) => res.statusCode === 401)).toBe(true);
    const reasons = await reasonsFor('identity.login.failed', (d) => d.email === made.user.email);
    expect(reasons).toHaveLength(200);
    expect(reasons.filter((reason) => reason === 'wrong-password')).toHaveLength(max);
    expect(reasons.filter((reason) => reason === 'locked')).toHaveLength(200 - max);
    // And the lock holds afterwards for the right password.
    expect((await attempt(t.app, made.user.email, TEST_PASSWORD)).statusCode).toBe(401);
  });

  it('lets the right password among 29 concurrent wrong ones in only if it was one of the attempts allowed', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const max = t.ctx.config.loginMaxFailures;
    const passwords = [...Array.from({ length: 29 }, (_, i) => `wrong password ${i}`), TEST_PASSWORD];
    const answers = await Promise.all(passwords.map((password) => attempt(t.app, made.user.email, password)));
    const succeeded = answers.filter((res) => res.statusCode === 200).length;
    const reasons = await reasonsFor('identity.login.failed', (d) => d.email === made.user.email);
    const checked = reasons.filter((reason) => reason === 'wrong-password').length + succeeded;
    expect(checked).toBeLessThanOrEqual(max);
    expect(reasons.length + succeeded).toBe(30);
  });

  it('checks at most LOGIN_MAX_FAILURES of 60 concurrent wrong TOTP codes on one pending sign-in', async () => {
    const made = await makeUser(t.ctx, { role: 'security' });
    const max = t.ctx.config.loginMaxFailures;
    const first = await attempt(t.app, made.user.email, made.password);
    expect(first.json().state).toBe('mfa_required');
    const cookie = cookieFrom(first.headers['set-cookie']);
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/session',
      headers: { cookie },
    });
    const headers = { cookie, 'x-csrf-token': session.json().csrfToken as string };
    const valid = currentTotp(made.totpSecret as string);
    const codes = Array.from({ length: 61 }, (_, i) => String(100000 + i)).filter((c) => c !== valid);
    const answers = await Promise.all(
      codes.slice(0, 60).map((code) =>
        t.app.inject({
          method: 'POST',
          url: `${LOGIN}/totp`,
          remoteAddress: uniqueIp(),
          headers,
          payload: { code },
        }),
      ),
    );
    expect(answers.every((res) => res.statusCode === 401)).toBe(true);
    const reasons = await reasonsFor('identity.login.mfa-failed', () => true);
    expect(reasons).toHaveLength(60);
    expect(reasons.filter((reason) => reason !== 'locked').length).toBeLessThanOrEqual(max);
  });
});
