import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { Id, problemResponses } from '../../core/http/fields.ts';
import { OffsetPageQuery, page, pageOf } from '../access/access-requests.schemas.ts';
import { listSubscribers, removeSubscriber } from './subscriptions.service.ts';

const tags = ['trust: subscriptions'];

const SubscriberView = z.object({
  id: Id,
  email: z.string(),
  locale: z.string(),
  topics: z.array(z.string()),
  confirmed: z.boolean(),
  createdAt: z.string(),
});

/** Subscribers to subprocessor changes and security updates (they sign up on the public site). */
export function subscriberRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/subscribers',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'listTrustSubscribers',
          tags,
          querystring: OffsetPageQuery,
          response: { 200: page(SubscriberView), ...problemResponses },
        },
      },
      (request) => listSubscribers(ctx.database.db, pageOf(request.query)),
    );

    app.delete(
      '/subscribers/:subscriberId',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'deleteTrustSubscriber',
          tags,
          params: z.strictObject({ subscriberId: Id }),
          response: { 204: z.null().describe('Deleted'), ...problemResponses },
        },
      },
      async (request, reply) => {
        await removeSubscriber(ctx, request.actor, request.params.subscriberId);
        return reply.status(204).send(null);
      },
    );
  };
}
