import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebApp } from '../../src/core/http/web-app.ts';
import viteConfig from '../../web/vite.config.ts';
import { loginAs, type SignedIn } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

describe('API answers are never stored by browsers or proxies', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it.each([
    ['a signed-in read', 'GET', '/api/v1/identity/users'],
    ['the session', 'GET', '/api/v1/identity/session'],
    ['a problem', 'GET', '/api/v1/identity/users/not-a-uuid'],
    ['an unknown API route', 'GET', '/api/v1/nothing-here'],
    ['a refused call', 'POST', '/api/v1/audit/verify'],
  ])('%s carries Cache-Control: no-store', async (_name, method, url) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: admin.headers });
    expect(res.headers['cache-control'], `${method} ${url} → ${res.statusCode}`).toBe('no-store');
  });

  it('leaves the caching of public pages alone', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/en/' });
    expect(res.headers['cache-control']).not.toBe('no-store');
  });
});

describe('the admin app never publishes its source maps', () => {
  let app: FastifyInstance;
  let distDir: string;
  beforeAll(async () => {
    distDir = mkdtempSync(path.join(tmpdir(), 'attest-web-'));
    mkdirSync(path.join(distDir, 'assets'));
    writeFileSync(path.join(distDir, 'index.html'), '<div id="root"></div>');
    writeFileSync(path.join(distDir, 'assets', 'index-abc.js'), 'console.log(1);\n//# sourceMappingURL=x');
    writeFileSync(path.join(distDir, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["App.tsx"]}');
    app = Fastify({ logger: false });
    await registerWebApp(app, distDir, { secureCookies: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  it('is built without source maps', () => {
    expect(viteConfig.build?.sourcemap).toBe(false);
  });

  it('serves the bundle but not a map left in the build folder', async () => {
    expect((await app.inject({ method: 'GET', url: '/app/assets/index-abc.js' })).statusCode).toBe(200);
    const map = await app.inject({ method: 'GET', url: '/app/assets/index-abc.js.map' });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('App.tsx');
  });
});
