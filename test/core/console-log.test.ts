import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { randomToken } from '../../src/core/crypto/index.ts';
import { formatLogRecord, resolveLogFormat } from '../../src/core/http/log-format.ts';
import { isQuietRequest, isRoutineRequest, loggerOptions } from '../../src/core/http/logging.ts';
import { startupMessage } from '../../src/server.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const ESC = String.fromCharCode(27);

/** A stand-in for process.stdout: a terminal or not, collecting what is written. */
function fakeTerminal(isTTY: boolean) {
  const written: string[] = [];
  return {
    isTTY,
    written,
    write(text: string | Uint8Array, ...rest: unknown[]) {
      written.push(String(text));
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    },
    lines: () => written.join('').split('\n').filter(Boolean),
  };
}

describe('the console log', () => {
  let t: TestApp;
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await t?.close();
  });

  async function appLoggingTo(
    terminal: ReturnType<typeof fakeTerminal>,
    config: { logLevel: 'info' | 'debug'; logFormat: 'auto' | 'pretty' | 'json' },
  ) {
    const logger = loggerOptions(config, undefined, terminal);
    const app = await buildApp({ ...t.ctx, logger });
    apps.push(app);
    await app.ready();
    return app;
  }

  /** Requests a person makes, and the noise around them: a health check, the stylesheet, a secret link. */
  async function browse(app: FastifyInstance) {
    const token = randomToken();
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/assets/trust.css' });
    await app.inject({ method: 'GET', url: '/en/security/policy' });
    await app.inject({ method: 'GET', url: `/en/security/follow/${token}` });
    await app.inject({ method: 'GET', url: '/api/v1/identity/users' });
    await new Promise((resolve) => setImmediate(resolve));
    return token;
  }

  it('on a terminal writes one readable line per request, none for health checks and assets', async () => {
    const terminal = fakeTerminal(true);
    const app = await appLoggingTo(terminal, { logLevel: 'info', logFormat: 'auto' });
    const token = await browse(app);
    const lines = terminal.lines().map((line) => line.replaceAll(ESC, '').replace(/\[\d+m/g, ''));
    for (const line of lines) expect(() => JSON.parse(line), line).toThrow();
    const requests = lines.filter((line) => / (GET|POST) \//.test(line));
    expect(requests).toHaveLength(3);
    // Nothing else: no "incoming request", no "Route … not found", no line for the 401's problem.
    expect(lines).toHaveLength(3);
    expect(requests[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/en\/security\/policy \d{3} \d+ ms$/);
    expect(requests[1]).toContain('GET /en/security/follow/[redacted] ');
    expect(requests[2]).toMatch(/GET \/api\/v1\/identity\/users 401 \d+ ms/);
    const all = lines.join('\n');
    expect(all).not.toContain('/healthz');
    expect(all).not.toContain('trust.css');
    expect(all).not.toContain(token);
    // Colour only on a terminal.
    expect(terminal.written.join('')).toContain('\u001b[');
  });

  it('writes JSON lines when not a terminal, one per request, redacted', async () => {
    const terminal = fakeTerminal(false);
    const app = await appLoggingTo(terminal, { logLevel: 'info', logFormat: 'auto' });
    const token = await browse(app);
    const records = terminal.lines().map((line) => JSON.parse(line));
    const requests = records.filter((record) => record.req);
    expect(requests.map((record) => [record.req.method, record.req.url, record.res.statusCode])).toEqual([
      ['GET', '/en/security/policy', expect.any(Number)],
      ['GET', '/en/security/follow/[redacted]', expect.any(Number)],
      ['GET', '/api/v1/identity/users', 401],
    ]);
    for (const record of requests) {
      expect(record.msg).toBe('request completed');
      expect(record.reqId).toEqual(expect.any(String));
      expect(record.responseTime).toEqual(expect.any(Number));
    }
    expect(terminal.written.join('')).not.toContain(token);
  });

  it('writes JSON on a terminal when asked, and pretty lines off a terminal when asked', async () => {
    const jsonOnTerminal = fakeTerminal(true);
    await browse(await appLoggingTo(jsonOnTerminal, { logLevel: 'info', logFormat: 'json' }));
    expect(jsonOnTerminal.lines().length).toBeGreaterThan(0);
    for (const line of jsonOnTerminal.lines()) expect(JSON.parse(line)).toHaveProperty('level');

    const prettyOffTerminal = fakeTerminal(false);
    await browse(await appLoggingTo(prettyOffTerminal, { logLevel: 'info', logFormat: 'pretty' }));
    const lines = prettyOffTerminal.lines();
    expect(lines.some((line) => line.includes('INFO  GET /en/security/policy'))).toBe(true);
    // No colour codes where nobody reads them as colour.
    expect(prettyOffTerminal.written.join('')).not.toContain('\u001b[');
  });

  it('still logs health checks and assets at debug level', async () => {
    const terminal = fakeTerminal(false);
    await browse(await appLoggingTo(terminal, { logLevel: 'debug', logFormat: 'json' }));
    const urls = terminal
      .lines()
      .map((line) => JSON.parse(line))
      .filter((record) => record.req)
      .map((record) => [record.level, record.req.url]);
    expect(urls).toContainEqual([20, '/healthz']);
    expect(urls).toContainEqual([20, '/assets/trust.css']);
    expect(urls).toContainEqual([30, '/en/security/policy']);
  });

  it('resolves LOG_FORMAT: auto follows the terminal', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('logs successful public page reads at debug, and API calls, writes and errors at info', () => {
    expect(isRoutineRequest('GET', '/en/', 200)).toBe(true);
    expect(isRoutineRequest('HEAD', '/fr/documents/dpa', 304)).toBe(true);
    expect(isRoutineRequest('GET', '/healthz', 200)).toBe(true);
    expect(isRoutineRequest('GET', '/en/', 404)).toBe(false);
    expect(isRoutineRequest('GET', '/en/', 500)).toBe(false);
    expect(isRoutineRequest('GET', '/healthz', 503)).toBe(false);
    expect(isRoutineRequest('POST', '/en/access', 303)).toBe(false);
    expect(isRoutineRequest('GET', '/api/v1/identity/users', 200)).toBe(false);
  });

  it('knows health checks and static files from pages', () => {
    for (const url of [
      '/healthz',
      '/assets/trust.css?v=abc',
      '/app/assets/index-3f2a.js',
      '/favicon.ico',
      '/app/assets/logo.svg',
    ]) {
      expect(isQuietRequest(url), url).toBe(true);
    }
    for (const url of [
      '/en/security',
      '/app/',
      '/api/v1/disclosure/reports',
      '/healthz/x',
      '/en/trust.json',
    ]) {
      expect(isQuietRequest(url), url).toBe(false);
    }
  });

  it('formats messages and errors on one line, the stack of an error indented below', () => {
    const line = formatLogRecord(
      {
        level: 50,
        time: Date.UTC(2026, 0, 2, 3, 4, 5),
        msg: 'mail delivery failed',
        err: {
          message: 'connect ECONNREFUSED',
          stack: 'Error: connect ECONNREFUSED\n    at connect (net.js:1)',
        },
        jobId: 'j1',
      },
      { color: false },
    );
    expect(line).toBe(
      '03:04:05 ERROR mail delivery failed — connect ECONNREFUSED jobId=j1\n    at connect (net.js:1)\n',
    );
  });
});

describe('the startup message', () => {
  const facts = { version: '1.2.3', publicUrl: 'https://attest.example', driver: 'pglite', mail: 'outbox' };

  it('prints the setup link after the "running on" line, in a box', () => {
    const link = 'https://attest.example/app/setup?token=abc';
    const text = startupMessage({ ...facts, setupLink: link });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Attest 1.2.3 is running on https://attest.example (pglite, mail: outbox)');
    const box = lines.slice(2).filter(Boolean);
    expect(box[0]).toMatch(/^┌─+┐$/);
    expect(box.at(-1)).toMatch(/^└─+┘$/);
    expect(box.some((line) => line.startsWith(`│ ${link} `))).toBe(true);
    // Every line of the box is as wide as its frame.
    for (const line of box) expect(line.length).toBe(box[0]?.length);
    expect(text.indexOf(link)).toBeGreaterThan(text.indexOf('is running on'));
  });

  it('says only where it runs once there is an owner', () => {
    expect(startupMessage(facts)).toBe(
      'Attest 1.2.3 is running on https://attest.example (pglite, mail: outbox)',
    );
  });
});
