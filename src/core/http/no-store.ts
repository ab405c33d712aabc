import type { FastifyInstance } from 'fastify';

/**
 * API answers carry users, reports, tokens and audit entries: no browser or intermediary may keep them
 * (OWASP ASVS 8.2.1). Every response under /api/ gets `Cache-Control: no-store` unless its route chose a
 * caching policy itself; errors and 404s included.
 */
export function registerApiNoStore(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
