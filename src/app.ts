import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { auditPlugin } from './audit/index.ts';
import { complianceApiPlugin } from './compliance/index.ts';
import type { AppContext } from './core/context.ts';
import { registerErrorHandling } from './core/http/errors.ts';
import { registerGuard } from './core/http/guard.ts';
import { registerHealth } from './core/http/health.ts';
import { loggerOptions, RequestLog } from './core/http/logging.ts';
import { registerApiNoStore } from './core/http/no-store.ts';
import { registerNulGuard } from './core/http/nul-guard.ts';
import { registerOpenApi } from './core/http/openapi.ts';
import { problems } from './core/http/problem.ts';
import { registerPublicPageLimits } from './core/http/public-limits.ts';
import { registerRouteTable } from './core/http/route-table.ts';
import { securityHeaders } from './core/http/security-headers.ts';
import { registerWebApp } from './core/http/web-app.ts';
import { jobsPlugin } from './core/jobs/jobs.routes.ts';
import { mailPlugin } from './core/mail/mail.routes.ts';
import { settingsPlugin } from './core/settings/index.ts';
import { disclosureApiPlugin, disclosureSitePlugin } from './disclosure/index.ts';
import { homePlugin } from './home/index.ts';
import { createActorResolver, identityPlugin } from './identity/index.ts';
import { can, isPermission } from './identity/permissions.ts';
import { trustApiPlugin, trustSitePlugin } from './trust/index.ts';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

/** Builds the whole server (core, then each domain as a plugin). It never listens: tests inject into it. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    logger: loggerOptions(config, ctx.logger),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    // One line per request instead of two, quieter for health checks and assets (logging.ts).
    logController: new RequestLog(),
  });
  registerRouteTable(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app, { publicUrl: config.publicUrl, defaultLocale: config.defaultLocale });

  await app.register(fastifyHelmet, securityHeaders(config));
  await app.register(fastifyCookie);
  registerPublicPageLimits(app, config.publicPageRateLimitPerMinute);
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.ceil(context.ttl / 1000);
      const error = problems.rateLimited(retryAfterSeconds);
      error.extra.retryAfterSeconds = retryAfterSeconds;
      return error;
    },
  });
  registerGuard(app, { resolveActor: createActorResolver(ctx), isPermission, can });
  registerNulGuard(app);
  registerApiNoStore(app);
  await registerOpenApi(app, { version: config.version, publicUrl: config.publicUrl });

  registerHealth(app, ctx);
  await app.register(identityPlugin(ctx), { prefix: '/api/v1/identity' });
  await app.register(auditPlugin(ctx), { prefix: '/api/v1/audit' });
  await app.register(settingsPlugin(ctx), { prefix: '/api/v1/settings' });
  await app.register(mailPlugin(ctx), { prefix: '/api/v1/mail' });
  await app.register(jobsPlugin(ctx), { prefix: '/api/v1/jobs' });
  await app.register(trustApiPlugin(ctx), { prefix: '/api/v1/trust' });
  await app.register(disclosureApiPlugin(ctx), { prefix: '/api/v1/disclosure' });
  await app.register(complianceApiPlugin(ctx), { prefix: '/api/v1/compliance' });
  await app.register(homePlugin(ctx), { prefix: '/api/v1/home' });
  await app.register(trustSitePlugin(ctx));
  await app.register(disclosureSitePlugin(ctx));
  await registerWebApp(app, webDist);
  return app;
}
