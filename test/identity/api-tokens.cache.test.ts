import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_CACHE_MS } from '../../src/identity/credential-cache.ts';
import { apiTokens, users } from '../../src/identity/tables.ts';
import { loginAs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const TOKENS = '/api/v1/identity/tokens';
const USERS = '/api/v1/identity/users?limit=25';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Token grants are cached for a few seconds (credential-cache.ts); revocation must still hold. */
describe('API token cache and revocation', () => {
  let t: TestApp;
  let owner: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  const read = (token: string) =>
    t.app.inject({
      method: 'GET',
      url: USERS,
      remoteAddress: uniqueIp(),
      headers: { authorization: `Bearer ${token}` },
    });
  async function mint(by: SignedIn) {
    const res = await t.app.inject({
      method: 'POST',
      url: TOKENS,
      remoteAddress: uniqueIp(),
      headers: by.headers,
      payload: { name: `cache ${Math.random()}`, role: 'admin' },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string };
  }

  it('refuses a revoked token on the very next request in this process', async () => {
    const { id, token } = await mint(owner);
    expect((await read(token)).statusCode).toBe(200);
    expect((await read(token)).statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `${TOKENS}/${id}`,
      remoteAddress: uniqueIp(),
      headers: owner.headers,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await read(token)).statusCode).toBe(401);
  });

  it('refuses a token revoked by another process within CREDENTIAL_CACHE_MS', async () => {
    const { id, token } = await mint(owner);
    expect((await read(token)).statusCode).toBe(200);
    // Another process writes the row directly: this one hears nothing of it.
    await t.ctx.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < CREDENTIAL_CACHE_MS + 1_000) {
      status = (await read(token)).statusCode;
      if (status === 200) await sleep(100);
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThanOrEqual(CREDENTIAL_CACHE_MS + 200);
    expect(CREDENTIAL_CACHE_MS).toBeLessThanOrEqual(5_000);
  });

  it('refuses the token of a creator disabled by another process within CREDENTIAL_CACHE_MS', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const { token } = await mint(admin);
    expect((await read(token)).statusCode).toBe(200);
    await t.ctx.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, admin.made.user.id));
    await sleep(CREDENTIAL_CACHE_MS);
    expect((await read(token)).statusCode).toBe(401);
  });

  it('disabling the creator through this process ends the token at once', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const { token } = await mint(admin);
    expect((await read(token)).statusCode).toBe(200);
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/identity/users/${admin.made.user.id}`,
      remoteAddress: uniqueIp(),
      headers: owner.headers,
      payload: { status: 'disabled' },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await read(token)).statusCode).toBe(401);
  });

  it('lists users without their password hash or MFA secret', async () => {
    const { token } = await mint(owner);
    const res = await read(token);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/password|totpSecret|\$argon2/i);
  });
});
