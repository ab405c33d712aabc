import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { auditPlugin } from './audit/index.ts';
import { complianceApiPlugin } from './compliance/index.ts';
import type { AppContext } from './core/context.ts';
import { registerCookies } from './core/http/cookies.ts';
import { registerErrorHandling } from './core/http/errors.ts';
import { registerGuard } from './core/http/guard.ts';
import { registerHealth } from './core/http/health.ts';
import { loggerOptions, RequestLog } from './core/http/logging.ts';
import { registerApiNoStore } from './core/http/no-store.ts';
import { registerNulGuard } from './core/http/nul-guard.ts';
import { registerOpenApi } from './core/http/openapi.ts';
import { databaseCounter, rateLimitStore } from './core/http/rate-limit-store.ts';
import { registerRateLimits } from './core/http/rate-limits.ts';
import { lazyChildLogger } from './core/http/request-logger.ts';
import { registerRouteTable } from './core/http/route-table.ts';
import { registerSecurityHeaders } from './core/http/security-headers.ts';
import { responseSerializerCompiler } from './core/http/serializer.ts';
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
    // request.log becomes a pino child only when a line is written (request-logger.ts).
    childLoggerFactory: lazyChildLogger,
  });
  registerRouteTable(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  registerErrorHandling(app, config);

  registerSecurityHeaders(app, config);
  await registerCookies(app);
  // Write routes count in the database, shared by every process; reads in memory (rate-limit-store.ts).
  await registerRateLimits(app, config, rateLimitStore(databaseCounter(ctx.database, ctx.keyring)));
  registerGuard(app, { resolveActor: createActorResolver(ctx), isPermission, can });
  registerNulGuard(app);
  registerApiNoStore(app);
  await registerOpenApi(app, config);

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
  await registerWebApp(app, webDist, config);
  return app;
}
