import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoveryCodes, users } from '../../src/identity/tables.ts';
import { login, loginAs, makeUser, type Session, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';

const USERS = '/api/v1/identity/users';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('managing users', () => {
  let t: TestApp;
  let admin: SignedIn;
  let owner: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  const patchUser = (as: Session, userId: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'PATCH',
      url: `${USERS}/${userId}`,
      remoteAddress: uniqueIp(),
      headers: as.headers,
      payload,
    });
  const resetMfa = (as: Session, userId: string) =>
    t.app.inject({
      method: 'POST',
      url: `${USERS}/${userId}/reset-mfa`,
      remoteAddress: uniqueIp(),
      headers: as.headers,
    });
  const sessionWorks = async (session: Session) =>
    (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/session',
        headers: { cookie: session.cookie },
      })
    ).statusCode === 200;

  it('lists users, filtered by role, for an auditor too', async () => {
    const auditor = await loginAs(t.app, t.ctx, 'auditor', { remoteAddress: uniqueIp() });
    const compliance = await makeUser(t.ctx, { role: 'compliance' });
    const res = await t.app.inject({
      method: 'GET',
      url: USERS,
      remoteAddress: uniqueIp(),
      headers: auditor.headers,
      query: { role: 'compliance', limit: '100' },
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; role: string }[];
    expect(items.map((item) => item.id)).toContain(compliance.user.id);
    expect(items.every((item) => item.role === 'compliance')).toBe(true);
    expect(JSON.stringify(res.json())).not.toMatch(/passwordHash|totpSecret|argon2/);
  });

  it('changes a role, audits from and to, and ends the user’s sessions', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await login(t.app, made, { remoteAddress: uniqueIp() });
    const res = await patchUser(admin, made.user.id, { role: 'compliance' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: made.user.id, role: 'compliance' });
    expect(await auditEntries(t.ctx, 'identity.user.role-changed')).toContainEqual(
      expect.objectContaining({
        actorId: admin.made.user.id,
        targetId: made.user.id,
        details: { from: 'employee', to: 'compliance' },
      }),
    );
    expect(await sessionWorks(session)).toBe(false);
  });

  it('disables a user: audited, sessions end, and sign-in is refused', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await login(t.app, made, { remoteAddress: uniqueIp() });
    const res = await patchUser(admin, made.user.id, { status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect(await sessionWorks(session)).toBe(false);
    expect(await auditEntries(t.ctx, 'identity.user.disabled')).toContainEqual(
      expect.objectContaining({ targetId: made.user.id }),
    );
    await expect(login(t.app, made, { remoteAddress: uniqueIp() })).rejects.toThrow(/login failed: 401/);
  });

  it('does not let an admin make someone an owner (403 role-not-grantable)', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const res = await patchUser(admin, made.user.id, { role: 'owner' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('role-not-grantable');
    const [row] = await t.ctx.database.db.select().from(users).where(eq(users.id, made.user.id));
    expect(row?.role).toBe('employee');
  });

  it('does not let an admin change an owner (403 role-not-grantable)', async () => {
    const other = await makeUser(t.ctx, { role: 'owner' });
    const res = await patchUser(admin, other.user.id, { role: 'admin' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('role-not-grantable');
  });

  it('lets an owner demote another owner while one remains', async () => {
    const other = await makeUser(t.ctx, { role: 'owner' });
    const res = await patchUser(owner, other.user.id, { role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('admin');
  });

  it('answers 404 user-not-found for an unknown user', async () => {
    const res = await patchUser(admin, MISSING_ID, { role: 'employee' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('user-not-found');
  });

  it('refuses a change that names neither role nor status (422)', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const res = await patchUser(admin, made.user.id, {});
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation-failed');
  });

  it('refuses an unknown role or field (422 with pointers)', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const res = await patchUser(admin, made.user.id, { role: 'root', email: 'x@example.test' });
    expect(res.statusCode).toBe(422);
    const pointers = (res.json().errors as { pointer: string }[]).map((error) => error.pointer);
    expect(pointers).toContain('/role');
  });

  it('resets a user’s MFA: TOTP and recovery codes gone, sessions end, audited, mail queued', async () => {
    const made = await makeUser(t.ctx, { role: 'security' });
    const session = await login(t.app, made, { remoteAddress: uniqueIp() });
    const res = await resetMfa(admin, made.user.id);
    expect(res.statusCode).toBe(204);
    const [row] = await t.ctx.database.db.select().from(users).where(eq(users.id, made.user.id));
    expect(row).toMatchObject({ totpSecret: null, totpEnabledAt: null });
    expect(
      await t.ctx.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, made.user.id)),
    ).toEqual([]);
    expect(await sessionWorks(session)).toBe(false);
    expect(await auditEntries(t.ctx, 'identity.mfa.reset')).toContainEqual(
      expect.objectContaining({ actorId: admin.made.user.id, targetId: made.user.id }),
    );
    expect(await queuedMails(t.ctx, made.user.email)).toHaveLength(1);
    // Next sign-in must enrol again.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/login',
      remoteAddress: uniqueIp(),
      payload: { email: made.user.email, password: made.password },
    });
    expect(again.json().state).toBe('mfa_enrolment_required');
  });

  it('does not let an admin reset an owner’s MFA (403 role-not-grantable)', async () => {
    const other = await makeUser(t.ctx, { role: 'owner' });
    const res = await resetMfa(admin, other.user.id);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('role-not-grantable');
  });

  it('answers 404 when resetting the MFA of an unknown user', async () => {
    const res = await resetMfa(admin, MISSING_ID);
    expect(res.statusCode).toBe(404);
  });
});

describe('the last owner', () => {
  let t: TestApp;
  let owner: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  it('cannot be demoted or disabled (409 last-owner), even by themself', async () => {
    const id = owner.made.user.id;
    for (const payload of [{ role: 'admin' }, { status: 'disabled' }]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `${USERS}/${id}`,
        remoteAddress: uniqueIp(),
        headers: owner.headers,
        payload,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('last-owner');
    }
    const [row] = await t.ctx.database.db.select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ role: 'owner', status: 'active' });
  });

  it('survives two owners demoting each other at the same moment', async () => {
    const first = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
    const second = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
    // Only these two stay owners, so the race decides whether any owner is left.
    await t.ctx.database.db.update(users).set({ role: 'admin' }).where(eq(users.id, owner.made.user.id));
    const demote = (as: Session, userId: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `${USERS}/${userId}`,
        remoteAddress: uniqueIp(),
        headers: as.headers,
        payload: { role: 'admin' },
      });
    const results = await Promise.all([
      demote(first, second.made.user.id),
      demote(second, first.made.user.id),
    ]);
    // The loser is refused as the last owner (409), or arrives with a session the winner just ended (401).
    const statuses = results.map((res) => res.statusCode).sort();
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const owners = await t.ctx.database.db.select().from(users).where(eq(users.role, 'owner'));
    expect(owners).toHaveLength(1);
    // Put the suite's owner back for the next test.
    await t.ctx.database.db.update(users).set({ role: 'owner' }).where(eq(users.id, owner.made.user.id));
  });

  it('can step down once a second owner exists', async () => {
    await makeUser(t.ctx, { role: 'owner' });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `${USERS}/${owner.made.user.id}`,
      remoteAddress: uniqueIp(),
      headers: owner.headers,
      payload: { role: 'admin' },
    });
    expect(res.statusCode).toBe(200);
  });
});
