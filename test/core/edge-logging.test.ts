import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { randomToken } from '../../src/core/crypto/index.ts';
import { redactUrl } from '../../src/core/http/logging.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

/** Every route of the app whose path carries a secret parameter, found from the app itself. */
const secretRoutes = (app: FastifyInstance) => [
  ...new Set(app.routeTable.filter((route) => /:\w*token\b/i.test(route.url)).map((route) => route.url)),
];

describe('the server log never holds a secret link or credential', () => {
  let t: TestApp;
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    // The same context, logging at debug level (every request, successful public reads included, which
    // info leaves out) into a stream the test reads.
    app = await buildApp({ ...t.ctx, logger: { level: 'debug', stream } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('redacts tokens in paths (every secret-bearing route), query strings and headers', async () => {
    const withSecrets = secretRoutes(app);
    // follow, portal (+ its reports), received, access confirm/login/page/NDA, subscription links: × 3 locales
    expect(withSecrets.length).toBeGreaterThanOrEqual(30);
    const secrets: string[] = [];
    const secret = () => {
      const token = randomToken();
      secrets.push(token);
      return token;
    };
    const urls = [
      ...withSecrets.map((pattern) =>
        pattern.replace(/:(\w+)/g, (_all, name: string) =>
          /token/i.test(name) ? secret() : name === 'number' ? '1' : 'x',
        ),
      ),
      `/en/security/follow/${secret()}`,
      `/fr/security/follow/${secret()}/messages`,
      `/en/security/portal/${secret()}`,
      `/es/security/portal/${secret()}/reports/3`,
      `/en/security/report/received/${secret()}`,
      `/en/access/confirm/${secret()}`,
      `/en/access/login/${secret()}`,
      `/en/access/${secret()}`,
      `/en/access/${secret()}/nda`,
      `/en/subscriptions/confirm/${secret()}`,
      `/en/subscriptions/unsubscribe/${secret()}`,
      `/api/v1/identity/invitations/lookup?token=${secret()}`,
      `/app/reset-password?token=${secret()}`,
      `/app/setup?lang=en&token=${secret()}`,
      `/en/no-such-page/${secret()}`,
    ];
    for (const url of urls) await app.inject({ method: 'GET', url });
    await app.inject({
      method: 'POST',
      url: `/en/access/login/${secret()}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    await app.inject({
      method: 'GET',
      url: '/api/v1/identity/users',
      headers: { authorization: `Bearer attest_${secret()}`, cookie: `attest_session=${secret()}` },
    });

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(urls.length);
    expect(log).toContain('[redacted]');
    for (const token of secrets) expect(log, `token ${token} in the log`).not.toContain(token);
    // The rest of the URL stays useful.
    expect(log).toContain('/en/security/follow/[redacted]');
    expect(log).toContain('/app/setup?lang=en&token=[redacted]');
  });

  it('keeps ids, slugs and harmless query parameters', () => {
    expect(redactUrl('/api/v1/trust/documents/0b8f7a52-3c52-4a3e-9f0e-6a0f3a1c2b4d?limit=5')).toBe(
      '/api/v1/trust/documents/0b8f7a52-3c52-4a3e-9f0e-6a0f3a1c2b4d?limit=5',
    );
    expect(redactUrl('/en/documents/soc-2-report/request')).toBe('/en/documents/soc-2-report/request');
    expect(redactUrl('/en/access/short', { pattern: '/en/access/:accessToken' })).toBe(
      '/en/access/[redacted]',
    );
  });
});
