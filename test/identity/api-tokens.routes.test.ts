import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/crypto/index.ts';
import { apiTokens } from '../../src/identity/tables.ts';
import { loginAs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';

const TOKENS = '/api/v1/identity/tokens';

describe('API tokens', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  async function createToken(payload: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: TOKENS,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
      payload,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string; role: string; prefix: string };
  }
  const asBearer = (token: string, url: string, method: 'GET' | 'POST' = 'GET') =>
    t.app.inject({ method, url, remoteAddress: uniqueIp(), headers: { authorization: `Bearer ${token}` } });

  it('returns the token once and stores only its hash', async () => {
    const created = await createToken({ name: 'CI export', role: 'auditor', expiresInDays: 30 });
    expect(created.token).toMatch(/^attest_[\w-]{40,}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const rows = await t.ctx.database.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(sha256Hex(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token);
    const list = await t.app.inject({
      method: 'GET',
      url: TOKENS,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ id: created.id, name: 'CI export', role: 'auditor' }),
    );
    expect(list.body).not.toContain(created.token);
  });

  it('audits identity.token.created with name, role and expiry', async () => {
    const created = await createToken({ name: 'audited', role: 'employee' });
    expect(await auditEntries(t.ctx, 'identity.token.created')).toContainEqual(
      expect.objectContaining({
        actorId: admin.made.user.id,
        targetId: created.id,
        details: expect.objectContaining({ name: 'audited', role: 'employee' }),
      }),
    );
  });

  it('works as a Bearer token with exactly its role’s permissions', async () => {
    const { token } = await createToken({ name: 'auditor bot', role: 'auditor' });
    expect((await asBearer(token, '/api/v1/audit/events')).statusCode).toBe(200);
    expect((await asBearer(token, '/api/v1/identity/users')).statusCode).toBe(200);
    const settings = await asBearer(token, '/api/v1/settings/');
    expect(settings.statusCode).toBe(403);
    expect(settings.json()).toMatchObject({ code: 'forbidden', permission: 'settings.read' });
  });

  it('needs no CSRF header for a write (it is not a cookie)', async () => {
    const { token } = await createToken({ name: 'verifier', role: 'admin' });
    expect((await asBearer(token, '/api/v1/audit/verify', 'POST')).statusCode).toBe(200);
  });

  it('records when a token was last used', async () => {
    const { id, token } = await createToken({ name: 'used', role: 'auditor' });
    await asBearer(token, '/api/v1/audit/events');
    const [row] = await t.ctx.database.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('stops working once revoked (401), and the revocation is audited', async () => {
    const { id, token } = await createToken({ name: 'to revoke', role: 'auditor' });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `${TOKENS}/${id}`,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(204);
    const after = await asBearer(token, '/api/v1/audit/events');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');
    expect(await auditEntries(t.ctx, 'identity.token.revoked')).toContainEqual(
      expect.objectContaining({ targetId: id, details: { name: 'to revoke' } }),
    );
  });

  it('stops working once expired (401)', async () => {
    const { id, token } = await createToken({ name: 'short-lived', role: 'auditor', expiresInDays: 1 });
    await t.ctx.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, id));
    expect((await asBearer(token, '/api/v1/audit/events')).statusCode).toBe(401);
  });

  it('answers 401 to a made-up or malformed Bearer token', async () => {
    expect(
      (await asBearer('attest_not-a-real-token-at-all-0000000000000', '/api/v1/audit/events')).statusCode,
    ).toBe(401);
    expect((await asBearer('something-else', '/api/v1/audit/events')).statusCode).toBe(401);
  });

  it('does not let an admin mint an owner token (403 role-not-grantable)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: TOKENS,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
      payload: { name: 'too strong', role: 'owner' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('role-not-grantable');
  });

  it('refuses an expiry beyond 365 days or a missing name (422 with pointers)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: TOKENS,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
      payload: { role: 'auditor', expiresInDays: 1000 },
    });
    expect(res.statusCode).toBe(422);
    const pointers = (res.json().errors as { pointer: string }[]).map((error) => error.pointer).sort();
    expect(pointers).toEqual(['/expiresInDays', '/name']);
  });

  it('answers 404 token-not-found when revoking an unknown token', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `${TOKENS}/00000000-0000-4000-8000-000000000000`,
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('token-not-found');
  });
});
