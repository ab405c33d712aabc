import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import { grantStyleNonce } from './security-headers.ts';

/**
 * Serves the admin app's build at /app. index.html is answered for every client-side route, with
 * the request's CSP nonce written into it so Mantine's style tags pass the strict policy.
 */
export async function registerWebApp(
  app: FastifyInstance,
  distDir: string,
  config: Pick<Config, 'secureCookies'>,
): Promise<void> {
  const indexPath = path.join(distDir, 'index.html');
  if (!existsSync(indexPath)) {
    app.get('/app/*', { config: { public: true }, schema: { hide: true } }, (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The admin app is not built; run `npm run build:web`.'),
    );
    return;
  }
  const indexHtml = readFileSync(indexPath, 'utf8');
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/app/',
    index: false,
    wildcard: false,
    decorateReply: false,
    cacheControl: true,
    maxAge: '1y',
    immutable: true,
    // Source maps are never served, even if a build (vite dev settings, an old dist) left some behind.
    allowedPath: (pathname) =>
      (pathname.startsWith('/assets/') && !pathname.endsWith('.map')) ||
      /^\/[\w.-]+\.(svg|png|ico|txt)$/.test(pathname),
  });
  const sendIndex = (_request: unknown, reply: import('fastify').FastifyReply) => {
    const nonce = grantStyleNonce(reply, config);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(indexHtml.replaceAll('{{CSP_NONCE}}', nonce));
  };
  // The admin app's pages are not part of the API document.
  const hide = { schema: { hide: true } };
  app.get('/app', hide, (_request, reply) => reply.redirect('/app/'));
  app.get('/app/', hide, sendIndex);
  app.get('/app/*', hide, (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    if (rest.startsWith('assets/')) return reply.status(404).send();
    return sendIndex(request, reply);
  });
}
