import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { PageQuery, problemResponses } from '../http/fields.ts';
import { isOutboxId, listOutbox } from './outbox.ts';

const OutboxItemView = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  createdAt: z.string(),
  text: z.string(),
});

export function outboxDir(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, 'outbox');
}

/** The outbox: mail written to the data folder when no SMTP server is configured, readable by admins. */
export function mailPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/outbox',
      {
        config: { permission: 'mail.outbox.read' },
        schema: {
          operationId: 'listOutbox',
          tags: ['mail'],
          querystring: PageQuery.extend({
            cursor: z.string().refine(isOutboxId, { error: 'a cursor from a previous page' }).optional(),
          }),
          response: {
            200: z.object({ items: z.array(OutboxItemView), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      (request) =>
        listOutbox(outboxDir(ctx), ctx.keyring, { limit: request.query.limit, cursor: request.query.cursor }),
    );
  };
}
