import type { FastifyInstance } from 'fastify';

const READS = new Set(['GET', 'HEAD']);

/**
 * Public pages, assets, feeds and security.txt are rendered once and served from memory, and many
 * visitors share one address (a company NAT, a reverse proxy): counting them against the API's
 * per-address limit refused most page loads of a normal visitor while a colleague browsed. Every GET
 * outside /api/ that sets no limit of its own gets a far higher one, counted per route; forms, secret
 * links and the API keep their strict limits. Must be registered before @fastify/rate-limit so its
 * onRoute hook sees the limit.
 */
export function registerPublicPageLimits(app: FastifyInstance, perMinute: number): void {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.every((method) => READS.has(method))) return;
    if (route.url.startsWith('/api/')) return;
    const config = (route.config ?? {}) as { rateLimit?: unknown };
    if (config.rateLimit !== undefined) return;
    route.config = { ...config, rateLimit: { max: perMinute, timeWindow: 60_000 } } as typeof route.config;
  });
}
