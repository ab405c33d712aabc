import fastifyRateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import { problems } from './problem.ts';

const READS = new Set(['GET', 'HEAD']);

/**
 * Where requests are counted, in one place (a shared store plugs in here). The API keeps its per-address
 * limit (RATE_LIMIT_PER_MINUTE), counted before any credential lookup; forms, logins and secret links
 * set their own strict `config.rateLimit`. Public pages, assets, feeds and security.txt are rendered
 * once and served from memory, and many visitors share one address (a company NAT): they are not
 * counted at all unless PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE is set, which gives each such GET that limit
 * per route. Every other route pays nothing for rate limiting.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  config: Pick<Config, 'rateLimitPerMinute' | 'publicPageRateLimitPerMinute'>,
  store?: RateLimitPluginOptions['store'],
): Promise<void> {
  app.addHook('onRoute', (route) => {
    const routeConfig = (route.config ?? {}) as { rateLimit?: unknown };
    if (routeConfig.rateLimit !== undefined) return;
    const methods = [route.method].flat();
    let rateLimit: { max: number; timeWindow: number } | undefined;
    if (route.url.startsWith('/api/')) {
      // The OpenAPI document and swagger-ui's files are static; everything else under /api/ is counted.
      if (!route.url.startsWith('/api/docs') && route.url !== '/api/openapi.json')
        rateLimit = { max: config.rateLimitPerMinute, timeWindow: 60_000 };
    } else if (!methods.every((method) => READS.has(method))) {
      // A write outside the API that declared no limit of its own gets the API's.
      rateLimit = { max: config.rateLimitPerMinute, timeWindow: 60_000 };
    } else if (config.publicPageRateLimitPerMinute > 0) {
      rateLimit = { max: config.publicPageRateLimitPerMinute, timeWindow: 60_000 };
    }
    if (rateLimit) route.config = { ...routeConfig, rateLimit } as typeof route.config;
  });
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.rateLimitPerMinute,
    ...(store ? { store } : {}),
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.ceil(context.ttl / 1000);
      const error = problems.rateLimited(retryAfterSeconds);
      error.extra.retryAfterSeconds = retryAfterSeconds;
      return error;
    },
  });
}
