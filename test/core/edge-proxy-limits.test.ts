import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainPendingAudit } from '../../src/audit/index.ts';
import { postForm } from '../fixtures/access.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const USERS = '/api/v1/identity/users';

describe('ATTEST_TRUST_PROXY=true (the old setting) never lets a client pick its own address', () => {
  let oneHop: TestApp;
  beforeAll(async () => {
    oneHop = await buildTestApp({ env: { ATTEST_TRUST_PROXY: 'true', RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => oneHop?.close());

  it('behind a proxy on the same host, a forged X-Forwarded-For does not escape the rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await oneHop.app.inject({
        method: 'GET',
        url: USERS,
        remoteAddress: '127.0.0.1',
        // The client sent "X-Forwarded-For: 198.51.100.<i>"; nginx appended the address it saw.
        headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('with `true`, does not believe a client that reaches Attest directly', async () => {
    const direct = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await oneHop.app.inject({
        method: 'GET',
        url: USERS,
        remoteAddress: '198.51.100.88',
        headers: { 'x-forwarded-for': `192.0.2.${200 + i}` },
      });
      direct.push(res.statusCode);
    }
    expect(direct).toEqual([401, 401, 401, 429]);
  });

  it('records the address the proxy saw in the audit log, not the forged one', async () => {
    const res = await oneHop.app.inject({
      method: 'POST',
      url: '/api/v1/identity/login',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '198.51.100.200, 203.0.113.9' },
      payload: { email: 'nobody@example.com', password: 'wrong password 123' },
    });
    expect(res.statusCode).toBe(401);
    await chainPendingAudit(oneHop.ctx.database.db);
    const { rows } = await oneHop.ctx.database.executeSql(
      "select ip from audit_log where action = 'identity.login.failed' order by seq desc",
      [],
    );
    expect(rows).toEqual([{ ip: '203.0.113.9' }]);
  });
});

describe('ATTEST_TRUST_PROXY with listed proxies', () => {
  let listed: TestApp;
  beforeAll(async () => {
    listed = await buildTestApp({
      env: { ATTEST_TRUST_PROXY: '127.0.0.1, 10.9.0.0/16', RATE_LIMIT_PER_MINUTE: '3' },
    });
  });
  afterAll(() => listed?.close());

  it('with listed proxies, believes only what a listed proxy appended', async () => {
    const fromProxy = async (forged: string) =>
      listed.app.inject({
        method: 'GET',
        url: USERS,
        remoteAddress: '10.9.3.4',
        headers: { 'x-forwarded-for': `${forged}, 203.0.113.8` },
      });
    const viaProxy = [];
    for (let i = 0; i < 4; i += 1) viaProxy.push((await fromProxy(`192.0.2.${i}`)).statusCode);
    expect(viaProxy).toEqual([401, 401, 401, 429]);

    // A client reaching Attest directly is not a proxy: its header is ignored.
    const direct = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await listed.app.inject({
        method: 'GET',
        url: USERS,
        remoteAddress: '198.51.100.77',
        headers: { 'x-forwarded-for': `192.0.2.${100 + i}` },
      });
      direct.push(res.statusCode);
    }
    expect(direct).toEqual([401, 401, 401, 429]);
  });
});

describe('public pages are not held to the API limit, and a refused page is a page', () => {
  let t: TestApp;
  let strictPages: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    strictPages = await buildTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '3', PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE: '2' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await strictPages?.close();
  });

  it('lets a visitor browse from an address whose API budget another client used up', async () => {
    const shared = '203.0.113.50';
    for (let i = 0; i < 5; i += 1) {
      await t.app.inject({ method: 'GET', url: USERS, remoteAddress: shared });
    }
    const api = await t.app.inject({ method: 'GET', url: USERS, remoteAddress: shared });
    expect(api.statusCode).toBe(429);

    const pages = [
      '/en/',
      '/assets/trust.css',
      '/.well-known/security.txt',
      '/en/updates.atom',
      '/fr/security/policy',
      '/sitemap.xml',
    ];
    const refused: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      for (const url of pages) {
        const res = await t.app.inject({ method: 'GET', url, remoteAddress: shared });
        if (res.statusCode === 429) refused.push(url);
      }
    }
    expect(refused).toEqual([]);
  });

  it('answers a refused page as HTML in the page language, with Retry-After', async () => {
    const visit = () =>
      strictPages.app.inject({
        method: 'GET',
        url: '/fr/',
        remoteAddress: '203.0.113.60',
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'en' },
      });
    await visit();
    await visit();
    const refused = await visit();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.headers['content-language']).toBe('fr');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('<html lang="fr">');
    expect(refused.body).toContain('Trop de requêtes');
    expect(refused.body).toMatch(/Patientez \d+ secondes/);
  });

  it('keeps form writes strict', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const res = await postForm(
        t.app,
        '/en/access',
        { email: `v${i}@example.com` },
        { remoteAddress: '203.0.113.70' },
      );
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((status) => status !== 429)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
