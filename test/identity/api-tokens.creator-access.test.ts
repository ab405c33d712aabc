import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { createApiToken } from '../../src/identity/api-tokens.service.ts';
import { apiTokens, users } from '../../src/identity/tables.ts';
import { loginAs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';

const TOKENS = '/api/v1/identity/tokens';
const USERS = '/api/v1/identity/users';
const INVITATIONS = '/api/v1/identity/invitations';
// Held by security (and managers), not by compliance or auditors.
const SECURITY_READ = '/api/v1/disclosure/assignees';

/** Issue 7 item 2: an API token never does more than its creator may do now. */
describe('API tokens follow their creator’s access', () => {
  let t: TestApp;
  let owner: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  const inject = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t.app.inject({ method, url, remoteAddress: uniqueIp(), headers, payload });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function mint(by: Record<string, string>, role: string, name = `token ${role}`) {
    const res = await inject('POST', TOKENS, by, { name, role });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string };
  }
  const setAccess = async (userId: string, body: object) =>
    expect((await inject('PATCH', `${USERS}/${userId}`, owner.headers, body)).statusCode).toBe(200);
  const invite = (headers: Record<string, string>, role = 'admin') =>
    inject('POST', INVITATIONS, headers, {
      email: `new-${Math.random().toString(36).slice(2)}@example.test`,
      role,
    });

  it('caps an admin token at its creator’s new role after a demotion, and audits identity.token.capped', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const { id, token } = await mint(admin.headers, 'admin');
    expect((await invite(bearer(token))).statusCode).toBe(201);

    await setAccess(admin.made.user.id, { role: 'security' });
    const invitation = await invite(bearer(token));
    expect(invitation.statusCode).toBe(403);
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(403);
    expect((await inject('POST', TOKENS, bearer(token), { name: 'escape', role: 'admin' })).statusCode).toBe(
      403,
    );
    // What both the token's role and the creator's new role hold still works.
    expect((await inject('GET', SECURITY_READ, bearer(token))).statusCode).toBe(200);
    expect(await auditEntries(t.ctx, 'identity.token.capped')).toContainEqual(
      expect.objectContaining({
        targetId: id,
        details: expect.objectContaining({ role: 'admin', creatorRole: 'security' }),
      }),
    );

    // Promoted back, the token works as minted again (the cap is resolved at each request).
    await setAccess(admin.made.user.id, { role: 'admin' });
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(200);
  });

  it('gives a token only what its role and its creator’s role both hold (intersection)', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const { token } = await mint(admin.headers, 'auditor');
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(200);
    await setAccess(admin.made.user.id, { role: 'security' });
    // Auditors read users, security does not; security reads assignees, auditors do not.
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(403);
    expect((await inject('GET', SECURITY_READ, bearer(token))).statusCode).toBe(403);
    expect((await inject('GET', '/api/v1/disclosure/metrics', bearer(token))).statusCode).toBe(200);
  });

  it('revokes a disabled user’s tokens (audited), and re-enabling does not bring them back', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const { id, token } = await mint(admin.headers, 'admin');
    await setAccess(admin.made.user.id, { status: 'disabled' });
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(401);
    expect((await invite(bearer(token))).statusCode).toBe(401);
    const [row] = await t.ctx.database.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row?.revokedAt).toBeInstanceOf(Date);
    expect(await auditEntries(t.ctx, 'identity.token.revoked')).toContainEqual(
      expect.objectContaining({
        actorId: owner.made.user.id,
        targetId: id,
        details: expect.objectContaining({ reason: 'creator-disabled', creatorId: admin.made.user.id }),
      }),
    );
    await setAccess(admin.made.user.id, { status: 'active' });
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(401);
  });

  it('refuses a token whose creator is disabled even if it was never revoked, or whose creator is gone', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const { token } = await mint(admin.headers, 'auditor');
    await t.ctx.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, admin.made.user.id));
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(401);
    await t.ctx.database.db.delete(users).where(eq(users.id, admin.made.user.id));
    expect((await inject('GET', USERS, bearer(token))).statusCode).toBe(401);
  });

  it('bounds a token minted by a token by the same human creator', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const parent = await mint(admin.headers, 'admin', 'parent');
    const child = await mint(bearer(parent.token), 'admin', 'child');
    const [row] = await t.ctx.database.db.select().from(apiTokens).where(eq(apiTokens.id, child.id));
    expect(row?.createdBy).toBe(admin.made.user.id);
    await setAccess(admin.made.user.id, { role: 'employee' });
    expect((await invite(bearer(child.token))).statusCode).toBe(403);
    await setAccess(admin.made.user.id, { status: 'disabled' });
    expect((await inject('GET', USERS, bearer(child.token))).statusCode).toBe(401);
  });

  it('keeps an owner token from granting owner once its creator is only an admin', async () => {
    const second = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
    const { token } = await mint(second.headers, 'owner');
    await setAccess(second.made.user.id, { role: 'admin' });
    expect((await invite(bearer(token), 'owner')).statusCode).toBe(403);
    expect((await inject('POST', TOKENS, bearer(token), { name: 'o', role: 'owner' })).statusCode).toBe(403);
    expect((await invite(bearer(token), 'admin')).statusCode).toBe(201);
  });

  it('keeps tokens minted by the CLI (no human creator) working at their role', async () => {
    const created = await createApiToken(t.ctx, systemActor('cli'), {
      name: 'ci',
      role: 'admin',
      expiresInDays: 1,
    });
    expect((await inject('GET', USERS, bearer(created.token))).statusCode).toBe(200);
    expect((await invite(bearer(created.token))).statusCode).toBe(201);
  });
});
