import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeUser, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

// The public URL saved in Settings is used at once by what was fixed at start before: the OpenAPI
// server, problem-type links and the session cookie's Secure flag. No restart.
describe('a public URL changed in Settings applies without a restart', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: 'http://localhost:3000' } });
  });
  afterAll(() => t?.close());

  const sessionCookieOf = (setCookie: string | string[] | undefined) =>
    [setCookie ?? []].flat().find((line) => line.startsWith('attest_session=')) ?? '';

  it('moves the OpenAPI server, problem types and Secure cookies to the new URL', async () => {
    const made = await makeUser(t.ctx, { role: 'owner' });
    const before = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/login',
      remoteAddress: uniqueIp(),
      payload: { email: made.user.email, password: made.password },
    });
    expect(sessionCookieOf(before.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
    const openApiBefore = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openApiBefore.json().servers).toEqual([{ url: 'http://localhost:3000' }]);

    const owner = await login(t.app, made, { remoteAddress: uniqueIp() });
    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: owner.headers,
      payload: { publicUrl: 'https://trust.acme.test' },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    const openApi = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openApi.json().servers).toEqual([{ url: 'https://trust.acme.test' }]);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    expect(missing.json().type).toBe('https://trust.acme.test/problems/route-not-found');
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/login',
      remoteAddress: uniqueIp(),
      payload: { email: made.user.email, password: made.password },
    });
    expect(after.statusCode, after.body).toBe(200);
    expect(sessionCookieOf(after.headers['set-cookie'])).toMatch(/;\s*Secure/i);
  });

  it('follows a change another process stored, at the next read of the organization', async () => {
    const { applyPublicUrl } = await import('../../src/core/settings/organization.ts');
    applyPublicUrl(t.ctx, 'http://intranet.acme.test');
    expect(t.ctx.config.secureCookies).toBe(false);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    expect(missing.json().type).toBe('http://intranet.acme.test/problems/route-not-found');
  });
});
