import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { LazyRequestLogger } from '../../src/core/http/request-logger.ts';

function loggerAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  // Fastify's own pino logger, as the server's requests get.
  return { parent: Fastify({ logger: { level, stream } }).log, lines };
}

describe('the request logger made on first line', () => {
  it('makes no pino child for a request that writes nothing at an enabled level', () => {
    const { parent, lines } = loggerAt('info');
    const log = new LazyRequestLogger(parent, { reqId: 'req-1' }, {});
    log.debug('routine page read');
    log.trace('even quieter');
    expect(log.materialized).toBe(false);
    expect(lines).toEqual([]);
  });

  it("writes enabled lines through a child that carries the request's bindings", () => {
    const { parent, lines } = loggerAt('info');
    const log = new LazyRequestLogger(parent, { reqId: 'req-2' }, {});
    log.info({ responseTime: 3 }, 'request completed');
    log.warn('slow');
    expect(log.materialized).toBe(true);
    expect(lines.map((line) => [line.reqId, line.msg])).toEqual([
      ['req-2', 'request completed'],
      ['req-2', 'slow'],
    ]);
    expect(log.level).toBe('info');
  });

  it("honours a route's own log level", () => {
    const { parent, lines } = loggerAt('info');
    const log = new LazyRequestLogger(parent, { reqId: 'req-3' }, { level: 'debug' });
    log.debug('asked for');
    expect(lines.map((line) => line.msg)).toEqual(['asked for']);
  });
});
