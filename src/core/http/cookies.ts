import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * @fastify/cookie without its parsing hook: reply.setCookie and the Set-Cookie writer work as usual, but
 * a request's Cookie header is parsed only when something reads it (cookiesOf), so the public pages,
 * which read no cookie, pay no hook for it. Only the session lookup reads a cookie today.
 */
export async function registerCookies(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCookie, { hook: false });
}

/** The request's cookies, parsed on first read and kept on the request. */
export function cookiesOf(request: FastifyRequest): Record<string, string | undefined> {
  const parsed = request.cookies as FastifyRequest['cookies'] | null;
  if (parsed) return parsed;
  const header = request.headers.cookie;
  request.cookies = header ? request.server.parseCookie(header) : {};
  return request.cookies;
}
