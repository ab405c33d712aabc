import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/crypto/index.ts';
import { invitations, users } from '../../src/identity/tables.ts';
import {
  cookieFrom,
  loginAs,
  makeUser,
  type Session,
  type SignedIn,
  tokenInMail,
  uniqueIp,
} from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';

const INVITATIONS = '/api/v1/identity/invitations';
const PASSWORD = 'a long enough passphrase';

let counter = 0;
const newEmail = () => `invitee-${Date.now()}-${++counter}@example.test`;

describe('invitations', () => {
  let t: TestApp;
  let admin: SignedIn;
  let owner: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  const invite = (as: Session, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: INVITATIONS,
      remoteAddress: uniqueIp(),
      headers: as.headers,
      payload,
    });
  const lookup = (token: string) =>
    t.app.inject({
      method: 'GET',
      url: `${INVITATIONS}/lookup`,
      remoteAddress: uniqueIp(),
      query: { token },
    });
  const accept = (token: string, name = 'New Person') =>
    t.app.inject({
      method: 'POST',
      url: `${INVITATIONS}/accept`,
      remoteAddress: uniqueIp(),
      payload: { token, name, password: PASSWORD },
    });

  /** Invites as the admin and returns the token from the queued mail. */
  async function invited(
    role: string,
    email = newEmail(),
  ): Promise<{ email: string; token: string; id: string }> {
    const res = await invite(admin, { email, role });
    expect(res.statusCode).toBe(201);
    const [mail] = await queuedMails(t.ctx, email);
    return { email, token: tokenInMail(mail?.text ?? ''), id: res.json().id };
  }

  it('creates a pending invitation, queues the mail with a link and audits it', async () => {
    const email = newEmail();
    const res = await invite(admin, { email: email.toUpperCase(), role: 'compliance' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email,
      role: 'compliance',
      status: 'pending',
      invitedBy: admin.made.user.id,
    });
    const mails = await queuedMails(t.ctx, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(`${t.ctx.config.publicUrl}/app/invite?token=`);
    const audited = await auditEntries(t.ctx, 'identity.invitation.created');
    expect(audited).toContainEqual(
      expect.objectContaining({
        actorId: admin.made.user.id,
        targetId: res.json().id,
        details: { email, role: 'compliance' },
      }),
    );
  });

  it('stores only the hash of the invitation token', async () => {
    const { id, token } = await invited('employee');
    const [row] = await t.ctx.database.db.select().from(invitations).where(eq(invitations.id, id));
    expect(row?.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('looks up a pending invitation by its token', async () => {
    const { email, token } = await invited('auditor');
    const res = await lookup(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ email, role: 'auditor', organizationName: expect.any(String) });
  });

  it('signs a staff invitee in on accept, waiting for TOTP enrolment', async () => {
    const { email, token } = await invited('security');
    const res = await accept(token);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ state: 'mfa_enrolment_required' });
    const cookie = cookieFrom(res.headers['set-cookie']);
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/session',
      headers: { cookie },
    });
    expect(session.json()).toMatchObject({
      state: 'mfa_enrolment_required',
      user: { email, role: 'security' },
    });
    const [user] = await t.ctx.database.db.select().from(users).where(eq(users.email, email));
    expect(await auditEntries(t.ctx, 'identity.invitation.accepted')).toContainEqual(
      expect.objectContaining({ targetId: user?.id, details: expect.objectContaining({ role: 'security' }) }),
    );
  });

  it('signs an employee invitee straight in (no second factor required)', async () => {
    const { token } = await invited('employee');
    const res = await accept(token);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ state: 'active' });
  });

  it('records the sign-in of an invitee signed straight in, and not of one still to enrol MFA', async () => {
    const employee = await invited('employee');
    const staff = await invited('security');
    expect((await accept(employee.token)).statusCode).toBe(201);
    expect((await accept(staff.token)).statusCode).toBe(201);
    const lastLogin = async (email: string) =>
      (await t.ctx.database.db.select().from(users).where(eq(users.email, email)))[0]?.lastLoginAt;
    expect(await lastLogin(employee.email)).toBeInstanceOf(Date);
    expect(await lastLogin(staff.email)).toBeNull();
  });

  it('refuses an accepted invitation a second time, on lookup and accept (404 invitation-not-found)', async () => {
    const { token } = await invited('employee');
    expect((await accept(token)).statusCode).toBe(201);
    for (const res of [await lookup(token), await accept(token, 'Someone Else')]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('invitation-not-found');
    }
  });

  it('accepts an invitation once when it is accepted several times at once', async () => {
    const { email, token } = await invited('employee');
    const results = await Promise.all(
      ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].map((name) => accept(token, name)),
    );
    const statuses = results.map((res) => res.statusCode);
    // The others lose at the link (404) or, arriving a moment later, at the e-mail (409): never a 500.
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 201 && status !== 404 && status !== 409)).toEqual([]);
    expect(await t.ctx.database.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it('refuses an expired invitation', async () => {
    const { id, token } = await invited('employee');
    await t.ctx.database.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, id));
    expect((await lookup(token)).statusCode).toBe(404);
    expect((await accept(token)).statusCode).toBe(404);
  });

  it('revokes a pending invitation: the link stops working and the revocation is audited', async () => {
    const { id, token } = await invited('employee');
    const res = await t.app.inject({
      method: 'DELETE',
      url: `${INVITATIONS}/${id}`,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(204);
    expect((await lookup(token)).statusCode).toBe(404);
    expect(await auditEntries(t.ctx, 'identity.invitation.revoked')).toContainEqual(
      expect.objectContaining({ targetId: id }),
    );
  });

  it('answers 404 when revoking an invitation that does not exist', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `${INVITATIONS}/00000000-0000-4000-8000-000000000000`,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('invitation-not-found');
  });

  it('lists invitations with their status', async () => {
    const { id } = await invited('employee');
    const res = await t.app.inject({
      method: 'GET',
      url: INVITATIONS,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual(expect.objectContaining({ id, status: 'pending' }));
  });

  it('does not let an admin invite an owner (403 role-not-grantable), and queues nothing', async () => {
    const email = newEmail();
    const res = await invite(admin, { email, role: 'owner' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('role-not-grantable');
    expect(await queuedMails(t.ctx, email)).toEqual([]);
  });

  it('lets an owner invite an owner', async () => {
    const res = await invite(owner, { email: newEmail(), role: 'owner' });
    expect(res.statusCode).toBe(201);
    expect(res.json().role).toBe('owner');
  });

  it('refuses to invite the e-mail of an existing user (409 email-taken)', async () => {
    const existing = await makeUser(t.ctx, { role: 'employee' });
    const res = await invite(admin, { email: existing.user.email, role: 'employee' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('email-taken');
  });

  it('refuses an invitation body with an unknown role or a bad e-mail (422 with pointers)', async () => {
    const res = await invite(admin, { email: 'not-an-email', role: 'superuser' });
    expect(res.statusCode).toBe(422);
    const pointers = (res.json().errors as { pointer: string }[]).map((error) => error.pointer).sort();
    expect(pointers).toEqual(['/email', '/role']);
  });

  it('refuses to accept with a password under 12 characters (422)', async () => {
    const { token } = await invited('employee');
    const res = await t.app.inject({
      method: 'POST',
      url: `${INVITATIONS}/accept`,
      remoteAddress: uniqueIp(),
      payload: { token, name: 'Short', password: 'too short' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/password' })]);
  });
});
