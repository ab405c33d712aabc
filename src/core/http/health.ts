import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { isDatabaseHealthy } from '../db/index.ts';

const HealthView = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['ok', 'error']),
  version: z.string(),
});

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      config: { public: true, rateLimit: false },
      schema: { operationId: 'getHealth', tags: ['health'], response: { 200: HealthView, 503: HealthView } },
    },
    async (_request, reply) => {
      const db = (await isDatabaseHealthy(ctx.database.db)) ? 'ok' : 'error';
      return reply
        .status(db === 'ok' ? 200 : 503)
        .send({ status: db === 'ok' ? 'ok' : 'degraded', db, version: ctx.config.version });
    },
  );
}
