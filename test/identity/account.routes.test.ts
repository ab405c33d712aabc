import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, login, makeUser, type Session, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';

const ME = '/api/v1/identity/me';
const NEW_PASSWORD = 'an entirely new passphrase';

describe('own account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    as: Session,
    payload?: Record<string, unknown>,
  ) =>
    t.app.inject({
      method,
      url,
      remoteAddress: uniqueIp(),
      headers: as.headers,
      ...(payload ? { payload } : {}),
    });
  const sessionWorks = async (session: Session) =>
    (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/session',
        headers: { cookie: session.cookie },
      })
    ).statusCode === 200;
  const signIn = (made: Parameters<typeof login>[1]) => login(t.app, made, { remoteAddress: uniqueIp() });

  it('updates its own name and locale', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await signIn(made);
    const res = await call('PATCH', ME, session, { name: '  Renamed Person ', locale: 'fr' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: made.user.id, name: 'Renamed Person', locale: 'fr' });
  });

  it('refuses a profile change with an unknown field or locale (422)', async () => {
    const session = await signIn(await makeUser(t.ctx, { role: 'employee' }));
    const res = await call('PATCH', ME, session, { locale: 'de', role: 'owner' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation-failed');
  });

  it('refuses a password change with the wrong current password (403 wrong-password)', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await signIn(made);
    const res = await call('POST', `${ME}/password`, session, {
      currentPassword: 'not my password',
      newPassword: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('wrong-password');
    expect(await sessionWorks(session)).toBe(true);
  });

  it('changes the password: other sessions end, this one continues on a new cookie, audited', async () => {
    // An employee without TOTP, so two sign-ins in one 30-second step need no second code.
    const made = await makeUser(t.ctx, { role: 'employee' });
    const here = await signIn(made);
    const elsewhere = await signIn(made);
    const res = await call('POST', `${ME}/password`, here, {
      currentPassword: made.password,
      newPassword: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(204);
    const rotated = cookieFrom(res.headers['set-cookie']);
    expect(rotated).not.toBe(here.cookie);
    expect(await sessionWorks(elsewhere)).toBe(false);
    expect(await sessionWorks(here)).toBe(false);
    const current = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/session',
      headers: { cookie: rotated },
    });
    expect(current.json()).toMatchObject({ state: 'active', user: { id: made.user.id } });
    expect(await auditEntries(t.ctx, 'identity.password.changed')).toContainEqual(
      expect.objectContaining({ targetId: made.user.id }),
    );
    expect(await queuedMails(t.ctx, made.user.email)).toHaveLength(1);
    await expect(signIn(made)).rejects.toThrow(/401/);
    expect(await sessionWorks(await signIn({ ...made, password: NEW_PASSWORD }))).toBe(true);
  });

  it('refuses a new password under 12 characters (422 pointing at /newPassword)', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await signIn(made);
    const res = await call('POST', `${ME}/password`, session, {
      currentPassword: made.password,
      newPassword: 'short',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/newPassword' })]);
  });

  it('regenerates recovery codes: ten new ones, the old ones stop working, audited', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const session = await signIn(made);
    const res = await call('POST', `${ME}/recovery-codes`, session, {
      password: made.password,
      currentCode: made.recoveryCodes[1],
    });
    expect(res.statusCode).toBe(200);
    const fresh = res.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => made.recoveryCodes.includes(code))).toEqual([]);
    expect(await auditEntries(t.ctx, 'identity.mfa.recovery-codes-regenerated')).toContainEqual(
      expect.objectContaining({ targetId: made.user.id }),
    );

    const recoverWith = async (code: string) => {
      const ip = uniqueIp();
      const first = await t.app.inject({
        method: 'POST',
        url: '/api/v1/identity/login',
        remoteAddress: ip,
        payload: { email: made.user.email, password: made.password },
      });
      const cookie = cookieFrom(first.headers['set-cookie']);
      const { csrfToken } = (
        await t.app.inject({ method: 'GET', url: '/api/v1/identity/session', headers: { cookie } })
      ).json();
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/identity/login/recovery',
        remoteAddress: ip,
        headers: { cookie, 'x-csrf-token': csrfToken },
        payload: { code },
      });
    };
    expect((await recoverWith(made.recoveryCodes[0] as string)).statusCode).toBe(401);
    expect((await recoverWith(fresh[0] as string)).statusCode).toBe(200);
  });

  it('refuses to regenerate recovery codes with the wrong password (403 step-up-failed)', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const session = await signIn(made);
    const res = await call('POST', `${ME}/recovery-codes`, session, {
      password: 'not my password',
      currentCode: made.recoveryCodes[0],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('step-up-failed');
  });

  it('lists its own sessions, marking the current one, and nobody else’s', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const here = await signIn(made);
    await signIn(made);
    const stranger = await signIn(await makeUser(t.ctx, { role: 'employee' }));
    const res = await call('GET', `${ME}/sessions`, here);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; current: boolean }[];
    expect(items).toHaveLength(2);
    expect(items.filter((item) => item.current)).toHaveLength(1);
    const strangers = (await call('GET', `${ME}/sessions`, stranger)).json().items as { id: string }[];
    expect(items.map((item) => item.id)).not.toContain(strangers[0]?.id);
    expect(res.body).not.toContain(here.cookie.split('=')[1]);
  });

  it('revokes one of its other sessions, which then stops working, audited', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const here = await signIn(made);
    const other = await signIn(made);
    const items = (await call('GET', `${ME}/sessions`, here)).json().items as {
      id: string;
      current: boolean;
    }[];
    const target = items.find((item) => !item.current) as { id: string };
    const res = await call('DELETE', `${ME}/sessions/${target.id}`, here);
    expect(res.statusCode).toBe(204);
    expect(await sessionWorks(other)).toBe(false);
    expect(await sessionWorks(here)).toBe(true);
    expect(await auditEntries(t.ctx, 'identity.session.revoked')).toContainEqual(
      expect.objectContaining({ targetId: target.id }),
    );
  });

  it('answers 404 session-not-found for another user’s session id, which keeps working', async () => {
    const mine = await signIn(await makeUser(t.ctx, { role: 'employee' }));
    const theirs = await signIn(await makeUser(t.ctx, { role: 'employee' }));
    const [theirSession] = (await call('GET', `${ME}/sessions`, theirs)).json().items as { id: string }[];
    const res = await call('DELETE', `${ME}/sessions/${theirSession?.id}`, mine);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('session-not-found');
    expect(await sessionWorks(theirs)).toBe(true);
  });

  it('refuses a session id that is not a UUID (422)', async () => {
    const session = await signIn(await makeUser(t.ctx, { role: 'employee' }));
    const res = await call('DELETE', `${ME}/sessions/not-a-uuid`, session);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ in: 'params', pointer: '/sessionId' })]);
  });

  it('signs out: the session ends, the cookie is cleared and it is audited', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await signIn(made);
    const res = await call('POST', '/api/v1/identity/logout', session);
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/^attest_session=;/);
    expect(await sessionWorks(session)).toBe(false);
    expect(await auditEntries(t.ctx, 'identity.logout.succeeded')).toContainEqual(
      expect.objectContaining({ targetId: made.user.id }),
    );
  });
});
