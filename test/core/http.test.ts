import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, RoleName } from '../../src/core/http/actor.ts';
import { registerErrorHandling } from '../../src/core/http/errors.ts';
import { registerGuard } from '../../src/core/http/guard.ts';
import { problem } from '../../src/core/http/problem.ts';
import { registerSecurityHeaders } from '../../src/core/http/security-headers.ts';
import { registerWebApp } from '../../src/core/http/web-app.ts';
import { loginAs, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const LOGIN = '/api/v1/identity/login';

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({
    status,
    code,
    type: expect.stringMatching(new RegExp(`/problems/${code}$`)),
    title: expect.any(String),
  });
}

describe('HTTP edge of the whole app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  const postLogin = (payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: LOGIN,
      remoteAddress: uniqueIp(),
      headers: { 'content-type': contentType },
      payload,
    });

  it('answers malformed JSON with 400 malformed-body', async () => {
    const res = await postLogin('{"email": "a@example.test", ');
    expectProblem(res, 400, 'malformed-body');
  });

  it('answers an empty JSON body with 400 malformed-body', async () => {
    expectProblem(await postLogin(''), 400, 'malformed-body');
  });

  it('answers wrong types and unknown fields with 422 validation-failed, one error per pointer', async () => {
    const res = await postLogin(JSON.stringify({ email: 42, password: 'x', admin: true }));
    expectProblem(res, 422, 'validation-failed');
    const errors = res.json().errors as { in: string; pointer: string; detail: string }[];
    expect(errors.every((error) => error.in === 'body' && error.detail.length > 0)).toBe(true);
    expect(errors.map((error) => error.pointer)).toEqual(expect.arrayContaining(['/email']));
    // The unknown key is reported, at the object or at the key.
    expect(errors.some((error) => error.pointer === '/' || error.pointer === '/admin')).toBe(true);
  });

  it('answers a query-string violation with 422 and says it is in the query', async () => {
    const admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/users?limit=1000',
      remoteAddress: uniqueIp(),
      headers: admin.headers,
    });
    expectProblem(res, 422, 'validation-failed');
    expect(res.json().errors).toEqual([expect.objectContaining({ in: 'querystring', pointer: '/limit' })]);
  });

  it('answers a body over 1 MiB with 413 body-too-large', async () => {
    const res = await postLogin(
      JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(1024 * 1024 + 10) }),
    );
    expectProblem(res, 413, 'body-too-large');
    expect(res.json().detail).toContain(String(1024 * 1024));
  });

  it('answers a body in a media type it does not parse with 415 unsupported-media-type', async () => {
    expectProblem(await postLogin('<login email="a"/>', 'application/xml'), 415, 'unsupported-media-type');
  });

  it('answers a plain-text body where an object is expected with 422', async () => {
    expectProblem(await postLogin('email=a', 'text/plain'), 422, 'validation-failed');
  });

  it('answers an unknown route with 404 route-not-found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing/here?x=1' });
    expectProblem(res, 404, 'route-not-found');
    expect(res.json().detail).toContain('/api/v1/nothing/here');
    expect(res.json().detail).not.toContain('x=1');
  });

  it('translates a problem title from Accept-Language', async () => {
    const en = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    const fr = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nothing',
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    expect(fr.json().code).toBe(en.json().code);
    expect(fr.json().title).not.toBe(en.json().title);
  });

  it('sends the security headers: strict CSP, nosniff, no framing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends the same precomputed CSP on API answers, with no nonce (only inline-style HTML gets one)', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    const second = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(first.headers['content-security-policy']).toBe(second.headers['content-security-policy']);
    expect(String(first.headers['content-security-policy'])).not.toContain('nonce');
    expect(String(first.headers['content-security-policy'])).toContain("style-src 'self';");
  });

  it('answers /healthz with status, database state and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'ok', version: t.ctx.config.version });
  });

  it('serves an OpenAPI 3 document whose operations all have a unique operationId and responses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: t.ctx.config.version });
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { operationId?: string; responses?: object }>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ where: `${method} ${path}`, ...op })),
    );
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.filter((op) => !op.operationId).map((op) => op.where)).toEqual([]);
    const ids = operations.map((op) => op.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(
      operations
        .filter((op) => !op.responses || Object.keys(op.responses).length === 0)
        .map((op) => op.where),
    ).toEqual([]);
    // The admin app's pages are not API operations.
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/app'))).toEqual([]);
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t?.close());

  it('answers 429 rate-limited with Retry-After once an address exceeds RATE_LIMIT_PER_MINUTE', async () => {
    const ip = uniqueIp();
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        await t.app.inject({ method: 'GET', url: '/api/v1/identity/setup/status', remoteAddress: ip }),
      );
    expect(answers.slice(0, 3).map((res) => res.statusCode)).toEqual([200, 200, 200]);
    const limited = answers[3] as (typeof answers)[number];
    expectProblem(limited, 429, 'rate-limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/identity/setup/status', remoteAddress: uniqueIp() }))
        .statusCode,
    ).toBe(200);
  });

  it('never limits /healthz', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 6; i++)
      expect((await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: ip })).statusCode).toBe(
        200,
      );
  });
});

describe('error handler on a bare Fastify', () => {
  let app: FastifyInstance;
  afterEach(() => app?.close());

  async function bare(register: (app: FastifyInstance) => void): Promise<FastifyInstance> {
    app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app, { publicUrl: 'https://attest.example.test', defaultLocale: 'en' });
    register(app);
    await app.ready();
    return app;
  }

  it('answers an unexpected error with a bare 500: no message, no stack', async () => {
    await bare((a) =>
      a.get('/boom', () => {
        throw new Error('connection to 10.0.0.5 failed: password authentication failed for user "attest"');
      }),
    );
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: expect.any(String),
    });
    expect(res.body).not.toMatch(/password|10\.0\.0\.5|at .*\.ts/);
  });

  it('answers a SyntaxError from its own code (not the request body) with a bare 500', async () => {
    await bare((a) => a.get('/corrupt', () => JSON.parse('{"stored": "row" corrupted')));
    const res = await app.inject({ method: 'GET', url: '/corrupt' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/JSON|stored|position/);
  });

  it('answers a thrown non-Error value with a bare 500 too', async () => {
    await bare((a) =>
      a.get('/boom', async () => {
        throw { secret: 'value' };
      }),
    );
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
  });

  it('answers a thrown Problem as problem+json with an absolute type URI', async () => {
    await bare((a) =>
      a.get('/gone', () => {
        throw problem(404, 'thing-not-found', 'No thing with id 7.', { thingId: '7' });
      }),
    );
    const res = await app.inject({ method: 'GET', url: '/gone' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      type: 'https://attest.example.test/problems/thing-not-found',
      status: 404,
      code: 'thing-not-found',
      detail: 'No thing with id 7.',
      thingId: '7',
    });
  });
});

describe('permission guard on a bare Fastify', () => {
  let app: FastifyInstance;
  afterEach(() => app?.close());

  const grants: Record<string, RoleName[]> = { 'demo.thing.read': ['admin'] };

  function guarded(actor: Actor): FastifyInstance {
    app = Fastify({ logger: false });
    registerErrorHandling(app, { publicUrl: 'https://attest.example.test', defaultLocale: 'en' });
    registerGuard(app, {
      resolveActor: async () => actor,
      isPermission: (value) => Object.hasOwn(grants, value),
      can: (role, permission) => grants[permission]?.includes(role) ?? false,
    });
    return app;
  }
  const userActor = (role: RoleName, state: 'active' | 'mfa_required'): Actor => ({
    type: 'user',
    ip: '127.0.0.1',
    userAgent: null,
    user: { id: '1', email: 'u@example.test', name: 'U', role, locale: 'en' },
    session: { id: 's', publicId: 'p', state, csrfToken: 'csrf', expiresAt: new Date(Date.now() + 60_000) },
  });

  it('refuses to start when an /api/v1 route declares neither permission nor public (fail closed)', async () => {
    guarded({ type: 'anonymous', ip: '127.0.0.1', userAgent: null });
    expect(() => app.get('/api/v1/demo/open', () => 'oops')).toThrow(/declares neither/);
  });

  it('refuses to start when a route names an unknown permission, even on a pending-MFA step', async () => {
    guarded({ type: 'anonymous', ip: '127.0.0.1', userAgent: null });
    expect(() =>
      app.get('/api/v1/demo/typo', { config: { permission: 'demo.thing.raed' } }, () => 'x'),
    ).toThrow(/unknown permission/);
    expect(() =>
      app.get(
        '/api/v1/demo/step',
        { config: { permission: 'demo.thing.raed', allowPendingMfa: true } },
        () => 'x',
      ),
    ).toThrow(/unknown permission/);
  });

  it('still checks a declared permission on a route reachable before the second factor', async () => {
    guarded(userActor('employee', 'active'));
    app.get(
      '/api/v1/demo/step',
      { config: { permission: 'demo.thing.read', allowPendingMfa: true } },
      () => ({ ok: true }),
    );
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/v1/demo/step' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });

  it('lets a pending sign-in reach a pending-MFA step its role is granted', async () => {
    guarded(userActor('admin', 'mfa_required'));
    app.get(
      '/api/v1/demo/step',
      { config: { permission: 'demo.thing.read', allowPendingMfa: true } },
      () => ({ ok: true }),
    );
    app.get('/api/v1/demo/normal', { config: { permission: 'demo.thing.read' } }, () => ({ ok: true }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/api/v1/demo/step' })).statusCode).toBe(200);
    const normal = await app.inject({ method: 'GET', url: '/api/v1/demo/normal' });
    expect(normal.statusCode).toBe(403);
    expect(normal.json().code).toBe('mfa-required');
  });
});

describe('admin app page', () => {
  let app: FastifyInstance;
  let distDir: string;
  beforeAll(async () => {
    distDir = mkdtempSync(path.join(tmpdir(), 'attest-web-'));
    mkdirSync(path.join(distDir, 'assets'));
    writeFileSync(
      path.join(distDir, 'index.html'),
      '<meta name="csp-nonce" content="{{CSP_NONCE}}"><div id="root"></div>',
    );
    app = Fastify({ logger: false });
    registerSecurityHeaders(app, { secureCookies: false });
    await registerWebApp(app, distDir, { secureCookies: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  it('writes the style nonce of its CSP header into the page, fresh for each response', async () => {
    const nonces = [];
    for (const url of ['/app/', '/app/users/42']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const inHeader = /style-src 'self' 'nonce-([0-9a-f]{32})'/.exec(
        String(res.headers['content-security-policy']),
      )?.[1];
      expect(inHeader).toBeDefined();
      expect(res.body).toContain(`content="${inHeader}"`);
      expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self';/);
      nonces.push(inHeader);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});
