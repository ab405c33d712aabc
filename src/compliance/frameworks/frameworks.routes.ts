import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import {
  FrameworkEnabledView,
  FrameworkParams,
  FrameworkUpdate,
  FrameworkView,
  OscalQuery,
} from '../controls/controls.schemas.ts';
import {
  frameworkOscal,
  listCatalogUpgrades,
  listFrameworks,
  setFrameworkEnabled,
} from './frameworks.service.ts';

/**
 * Frameworks under /api/v1/compliance. Read: `compliance.program.read`; write: `compliance.program.manage`.
 *
 *   GET   /frameworks                          live frameworks with readiness (share of applicable requirements met)
 *   PATCH /frameworks/{frameworkId}            { enabled }: the company follows it or not (audited)
 *   GET   /frameworks/{frameworkId}/oscal      the framework as an OSCAL 1.0.6 catalog (?locale=en|es|fr)
 *   GET   /catalog/upgrades                    catalog versions loaded, newest first, with what each changed
 */
export function frameworkRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['compliance: program'];
    const read = { permission: 'compliance.program.read' } as const;
    const manage = { permission: 'compliance.program.manage' } as const;
    const db = ctx.database.db;

    app.get(
      '/frameworks',
      {
        config: read,
        schema: {
          operationId: 'listComplianceFrameworks',
          tags,
          response: { 200: z.object({ items: z.array(FrameworkView) }), ...problemResponses },
        },
      },
      async () => ({ items: await listFrameworks(db) }),
    );

    app.get(
      '/catalog/upgrades',
      {
        config: read,
        schema: {
          operationId: 'listComplianceCatalogUpgrades',
          tags,
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  fromVersion: z.string().nullable(),
                  toVersion: z.string(),
                  loadedAt: z.string(),
                  changes: z.record(z.string(), z.unknown()),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await listCatalogUpgrades(db, request.query.limit) }),
    );

    app.patch(
      '/frameworks/:frameworkId',
      {
        config: manage,
        schema: {
          operationId: 'updateComplianceFramework',
          tags,
          params: FrameworkParams,
          body: FrameworkUpdate,
          response: { 200: FrameworkEnabledView, ...problemResponses },
        },
      },
      (request) => setFrameworkEnabled(db, request.actor, request.params.frameworkId, request.body.enabled),
    );

    app.get(
      '/frameworks/:frameworkId/oscal',
      {
        config: read,
        schema: {
          operationId: 'getComplianceFrameworkOscal',
          tags,
          description:
            'The framework as an OSCAL 1.0.6 catalog; each control’s `label` prop is the official reference.',
          params: FrameworkParams,
          querystring: OscalQuery,
          response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
        },
      },
      (request) =>
        frameworkOscal(request.params.frameworkId, request.query.locale) as unknown as Record<
          string,
          unknown
        >,
    );
  };
}
