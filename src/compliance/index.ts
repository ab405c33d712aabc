import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { bundledCatalog } from './catalog/index.ts';
import { controlRoutes } from './controls/controls.routes.ts';
import { defineStatusJobs } from './controls/status.jobs.ts';
import { syncCatalog } from './frameworks/catalog-sync.ts';
import { frameworkRoutes } from './frameworks/frameworks.routes.ts';

/**
 * The compliance domain's public surface: the catalog (frameworks, common controls, mappings) and the
 * company's program API under /api/v1/compliance. At start the bundled catalog is loaded into the database
 * when its version changed (an upgrade keeps the company's data; see frameworks/catalog-sync.ts).
 */
export function complianceApiPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const changes = await syncCatalog(ctx.database.db, bundledCatalog());
    if (changes)
      app.log.info(
        { from: changes.from, to: changes.to, addedControls: changes.added.controls.length },
        'compliance: catalog loaded',
      );
    await defineStatusJobs(ctx);
    await app.register(frameworkRoutes(ctx));
    await app.register(controlRoutes(ctx));
  };
}

export * from './catalog/index.ts';
export { type LedgerVerifyResult, verifyEvidenceLedger } from './evidence/evidence.service.ts';
