import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { Id, problemResponses } from '../../core/http/fields.ts';
import { GrantQuery, GrantView, page, pageOf } from './access-requests.schemas.ts';
import { grantStatus, listGrants, revokeGrant } from './grants.service.ts';

const tags = ['trust: access'];

export function grantsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/grants',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'listGrants',
          tags,
          querystring: GrantQuery,
          response: { 200: page(GrantView), ...problemResponses },
        },
      },
      (request) => {
        const { status, visitorId } = request.query;
        return listGrants(ctx, { status, visitorId }, pageOf(request.query));
      },
    );

    app.post(
      '/grants/:grantId/revoke',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'revokeGrant',
          tags,
          description: "Effective at once: the visitor's links answer 404 for what the grant covered.",
          params: z.strictObject({ grantId: Id }),
          response: {
            200: z.object({
              id: Id,
              status: z.enum(['active', 'expired', 'revoked']),
              revokedAt: z.string(),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const grant = await revokeGrant(ctx, request.actor, request.params.grantId);
        return {
          id: grant.id,
          status: grantStatus(grant, new Date()),
          revokedAt: (grant.revokedAt ?? new Date()).toISOString(),
        };
      },
    );
  };
}
