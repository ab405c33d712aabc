import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/crypto/index.ts';
import { sessions, users } from '../../src/identity/tables.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { cookieFrom, login, type MadeUser, makeUser, TEST_PASSWORD, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';

const LOGIN = '/api/v1/identity/login';
const SESSION = '/api/v1/identity/session';

type Pending = { cookie: string; csrfToken: string; state: string; ip: string };

/** The password step alone: the cookie it sets and that session's CSRF token. */
async function passwordStep(app: FastifyInstance, made: MadeUser, ip = uniqueIp()): Promise<Pending> {
  const res = await app.inject({
    method: 'POST',
    url: LOGIN,
    remoteAddress: ip,
    payload: { email: made.user.email, password: made.password },
  });
  expect(res.statusCode).toBe(200);
  const cookie = cookieFrom(res.headers['set-cookie']);
  const session = await app.inject({ method: 'GET', url: SESSION, remoteAddress: ip, headers: { cookie } });
  expect(session.statusCode).toBe(200);
  return { cookie, csrfToken: session.json().csrfToken, state: res.json().state, ip };
}

async function secondStep(app: FastifyInstance, pending: Pending, method: 'totp' | 'recovery', code: string) {
  return app.inject({
    method: 'POST',
    url: `${LOGIN}/${method}`,
    remoteAddress: pending.ip,
    headers: { cookie: pending.cookie, 'x-csrf-token': pending.csrfToken },
    payload: { code },
  });
}

function attempt(app: FastifyInstance, email: string, password: string, ip = uniqueIp()) {
  return app.inject({ method: 'POST', url: LOGIN, remoteAddress: ip, payload: { email, password } });
}

/** A problem body without the per-request `instance`, to compare two answers. */
function withoutInstance(body: Record<string, unknown>) {
  const { instance: _instance, ...rest } = body;
  return rest;
}

const sessionIdOf = (cookie: string) => sha256Hex(cookie.slice(cookie.indexOf('=') + 1));

describe('sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  const getSession = (cookie: string) =>
    t.app.inject({ method: 'GET', url: SESSION, remoteAddress: uniqueIp(), headers: { cookie } });

  it('signs an admin in with password then TOTP, and the session reads back', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const session = await login(t.app, made, { remoteAddress: uniqueIp() });
    const res = await getSession(session.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'active', user: { email: made.user.email, role: 'admin' } });
  });

  it('gives a wrong password and an unknown e-mail the same 401 problem, and audits both as identity.login.failed', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const unknown = `nobody-${Date.now()}@example.test`;
    const wrong = await attempt(t.app, made.user.email, 'not the password at all');
    const missing = await attempt(t.app, unknown, 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(missing.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(withoutInstance(wrong.json())).toEqual(withoutInstance(missing.json()));
    expect(wrong.json().code).toBe('invalid-credentials');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const failed = await auditEntries(t.ctx, 'identity.login.failed');
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          targetId: made.user.id,
          details: expect.objectContaining({ email: made.user.email, reason: 'wrong-password' }),
        }),
        expect.objectContaining({
          targetId: null,
          details: expect.objectContaining({ email: unknown, reason: 'unknown-email' }),
        }),
      ]),
    );
  });

  it('locks an existing and an unknown e-mail alike after LOGIN_MAX_FAILURES, and the right password then fails too', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const unknown = `ghost-${Date.now()}@example.test`;
    const max = t.ctx.config.loginMaxFailures;
    for (let i = 0; i < max; i++) {
      expect((await attempt(t.app, made.user.email, `wrong password ${i}`)).statusCode).toBe(401);
      expect((await attempt(t.app, unknown, `wrong password ${i}`)).statusCode).toBe(401);
    }
    const lockedKnown = await attempt(t.app, made.user.email, TEST_PASSWORD);
    const lockedUnknown = await attempt(t.app, unknown, TEST_PASSWORD);
    expect(lockedKnown.statusCode).toBe(401);
    expect(lockedKnown.headers['set-cookie']).toBeUndefined();
    expect(withoutInstance(lockedKnown.json())).toEqual(withoutInstance(lockedUnknown.json()));
    const failed = await auditEntries(t.ctx, 'identity.login.failed');
    const last = (email: string) => failed.filter((entry) => entry.details.email === email).at(-1);
    expect(last(made.user.email)?.details.reason).toBe('locked');
    expect(last(unknown)?.details.reason).toBe('locked');
    // The lock's start was audited for both, with its end.
    const lockedAt = (email: string) =>
      failed.filter((entry) => entry.details.email === email && entry.details.lockedUntil);
    expect(lockedAt(made.user.email)).toHaveLength(1);
    expect(lockedAt(unknown)).toHaveLength(1);
  });

  it('refuses a TOTP code that was already used to sign in (replay)', async () => {
    const made = await makeUser(t.ctx, { role: 'security' });
    const code = currentTotp(made.totpSecret as string);
    const first = await passwordStep(t.app, made);
    expect((await secondStep(t.app, first, 'totp', code)).statusCode).toBe(200);
    const second = await passwordStep(t.app, made);
    const replay = await secondStep(t.app, second, 'totp', code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid-code');
    expect((await getSession(second.cookie)).json().state).toBe('mfa_required');
  });

  it('accepts one of four simultaneous sign-ins with the same TOTP code, and refuses the others', async () => {
    const made = await makeUser(t.ctx, { role: 'compliance' });
    const code = currentTotp(made.totpSecret as string);
    const pending: Pending[] = [];
    for (let i = 0; i < 4; i++) pending.push(await passwordStep(t.app, made));
    const results = await Promise.all(pending.map((p) => secondStep(t.app, p, 'totp', code)));
    expect(results.map((res) => res.statusCode).sort()).toEqual([200, 401, 401, 401]);
  });

  it('accepts a recovery code once, then refuses it', async () => {
    const made = await makeUser(t.ctx, { role: 'auditor' });
    const code = made.recoveryCodes[0] as string;
    const first = await passwordStep(t.app, made);
    const used = await secondStep(t.app, first, 'recovery', code.toUpperCase());
    expect(used.statusCode).toBe(200);
    expect(used.json()).toEqual({ state: 'active', remainingRecoveryCodes: 9 });
    const second = await passwordStep(t.app, made);
    const again = await secondStep(t.app, second, 'recovery', code);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('invalid-code');
  });

  it('records the last sign-in when it completes (TOTP, recovery code, password alone), not at the password step', async () => {
    const lastLogin = async (id: string) =>
      (await t.ctx.database.db.select().from(users).where(eq(users.id, id)))[0]?.lastLoginAt ?? null;
    const admin = await makeUser(t.ctx, { role: 'admin' });
    const pending = await passwordStep(t.app, admin);
    expect(await lastLogin(admin.user.id)).toBeNull();
    expect(
      (await secondStep(t.app, pending, 'totp', currentTotp(admin.totpSecret as string))).statusCode,
    ).toBe(200);
    expect(await lastLogin(admin.user.id)).toBeInstanceOf(Date);

    const auditor = await makeUser(t.ctx, { role: 'auditor' });
    const recovery = await secondStep(
      t.app,
      await passwordStep(t.app, auditor),
      'recovery',
      auditor.recoveryCodes[0] as string,
    );
    expect(recovery.statusCode).toBe(200);
    expect(await lastLogin(auditor.user.id)).toBeInstanceOf(Date);

    const employee = await makeUser(t.ctx, { role: 'employee' });
    await passwordStep(t.app, employee);
    expect(await lastLogin(employee.user.id)).toBeInstanceOf(Date);
  });

  it('rotates the session cookie at the second step: the pending cookie stops working', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const pending = await passwordStep(t.app, made);
    expect(pending.state).toBe('mfa_required');
    const res = await secondStep(t.app, pending, 'totp', currentTotp(made.totpSecret as string));
    expect(res.statusCode).toBe(200);
    const active = cookieFrom(res.headers['set-cookie']);
    expect(active).not.toBe(pending.cookie);
    expect((await getSession(pending.cookie)).statusCode).toBe(401);
    expect((await getSession(active)).json().state).toBe('active');
  });

  it('replaces the session a browser already had when it signs in again', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const before = await passwordStep(t.app, made);
    const res = await t.app.inject({
      method: 'POST',
      url: LOGIN,
      remoteAddress: uniqueIp(),
      headers: { cookie: before.cookie },
      payload: { email: made.user.email, password: made.password },
    });
    expect(res.statusCode).toBe(200);
    expect(cookieFrom(res.headers['set-cookie'])).not.toBe(before.cookie);
    expect((await getSession(before.cookie)).statusCode).toBe(401);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ and not Secure on an http public URL', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const res = await attempt(t.app, made.user.email, TEST_PASSWORD);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^attest_session=/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\//);
    expect(header).not.toMatch(/; Secure/i);
  });

  it('ends a session idle for longer than SESSION_IDLE_MINUTES', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const { cookie } = await passwordStep(t.app, made);
    const idleSince = new Date(Date.now() - t.ctx.config.sessionIdleSeconds * 1000 - 1000);
    await t.ctx.database.db
      .update(sessions)
      .set({ lastSeenAt: idleSince })
      .where(eq(sessions.id, sessionIdOf(cookie)));
    expect((await getSession(cookie)).statusCode).toBe(401);
    expect(
      await t.ctx.database.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(cookie))),
    ).toEqual([]);
  });

  it('keeps a session that was active within the idle window', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const { cookie } = await passwordStep(t.app, made);
    const recently = new Date(Date.now() - t.ctx.config.sessionIdleSeconds * 1000 + 60_000);
    await t.ctx.database.db
      .update(sessions)
      .set({ lastSeenAt: recently })
      .where(eq(sessions.id, sessionIdOf(cookie)));
    expect((await getSession(cookie)).statusCode).toBe(200);
  });

  it('ends a session past its absolute lifetime even when active', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const { cookie } = await passwordStep(t.app, made);
    await t.ctx.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
      .where(eq(sessions.id, sessionIdOf(cookie)));
    expect((await getSession(cookie)).statusCode).toBe(401);
  });

  it("stops a disabled user's sessions from working", async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const { cookie } = await passwordStep(t.app, made);
    await t.ctx.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, made.user.id));
    const res = await getSession(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('refuses a disabled user signing in with the right password, like a wrong one', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    await t.ctx.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, made.user.id));
    const res = await attempt(t.app, made.user.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid-credentials');
  });

  it('refuses a cookie write without the x-csrf-token header, or with a wrong one (403 csrf-token-invalid)', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const { cookie, csrfToken } = await passwordStep(t.app, made);
    const patch = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PATCH',
        url: '/api/v1/identity/me',
        remoteAddress: uniqueIp(),
        headers: { cookie, ...headers },
        payload: { name: 'Changed' },
      });
    const missing = await patch({});
    const wrong = await patch({ 'x-csrf-token': `${csrfToken.slice(0, -1)}x` });
    for (const res of [missing, wrong]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('csrf-token-invalid');
    }
    const right = await patch({ 'x-csrf-token': csrfToken });
    expect(right.statusCode).toBe(200);
    expect(right.json().name).toBe('Changed');
  });

  it('keeps a session waiting for its second factor away from normal routes (403 mfa-required)', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const pending = await passwordStep(t.app, made);
    const headers = { cookie: pending.cookie, 'x-csrf-token': pending.csrfToken };
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/users',
      remoteAddress: uniqueIp(),
      headers,
    });
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/me/sessions',
      remoteAddress: uniqueIp(),
      headers,
    });
    const swap = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/me/totp/setup',
      remoteAddress: uniqueIp(),
      headers,
    });
    for (const res of [list, own, swap]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('mfa-required');
    }
  });

  it('signs an employee without TOTP straight in after the password', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const pending = await passwordStep(t.app, made);
    expect(pending.state).toBe('active');
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/me/sessions',
      remoteAddress: uniqueIp(),
      headers: { cookie: pending.cookie },
    });
    expect(own.statusCode).toBe(200);
  });

  it('makes a staff user without TOTP enrol before anything else, then the session is active', async () => {
    const made = await makeUser(t.ctx, { role: 'security', mfa: false });
    const pending = await passwordStep(t.app, made);
    expect(pending.state).toBe('mfa_enrolment_required');
    const headers = { cookie: pending.cookie, 'x-csrf-token': pending.csrfToken };
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/me/sessions',
      remoteAddress: uniqueIp(),
      headers,
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('mfa-required');

    const setup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/me/totp/setup',
      remoteAddress: uniqueIp(),
      headers,
    });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json();
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/me/totp/confirm',
      remoteAddress: uniqueIp(),
      headers,
      payload: { code: currentTotp(secret) },
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    const active = cookieFrom(confirm.headers['set-cookie']);
    expect((await getSession(pending.cookie)).statusCode).toBe(401);
    const session = await getSession(active);
    expect(session.json()).toMatchObject({ state: 'active', user: { mfaEnrolled: true } });
    const allowed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/me/sessions',
      remoteAddress: uniqueIp(),
      headers: { cookie: active },
    });
    expect(allowed.statusCode).toBe(200);
    expect(
      (await auditEntries(t.ctx, 'identity.mfa.enabled')).some((entry) => entry.targetId === made.user.id),
    ).toBe(true);
    const [row] = await t.ctx.database.db.select().from(users).where(eq(users.id, made.user.id));
    expect(row?.lastLoginAt).toBeInstanceOf(Date);
  });
});

describe('sign-in behind an https public URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: 'https://attest.example.test' } });
  });
  afterAll(() => t?.close());

  it('marks the session cookie Secure', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const res = await attempt(t.app, made.user.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
  });
});
