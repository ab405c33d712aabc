import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../context.ts';
import { Id, problemResponses } from '../http/fields.ts';
import { problems } from '../http/problem.ts';
import { discardFailedJob, type FailedJob, findFailedJob, listFailedJobs, retryFailedJob } from './failed.ts';

const FailedJobView = z.object({
  id: z.uuid(),
  queue: z.string(),
  state: z.enum(['dead', 'retrying']),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: z.object({ name: z.string(), message: z.string(), code: z.string().optional() }),
  createdAt: z.string(),
  failedAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

const FailedJobsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  state: z.enum(['dead', 'retrying']).optional(),
  queue: z
    .string()
    .max(100)
    .regex(/^[\w.-]+$/, 'a queue name')
    .optional(),
  cursor: z
    .string()
    .max(100)
    .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|[0-9a-f-]{36}$/, 'a cursor from a previous page')
    .optional(),
});

/**
 * Background jobs that failed, for admins (`/api/v1/jobs`): which queue, the recorded error, attempts
 * and dates, never the payload. A failed job can be run again now or discarded; both are audited.
 */
export function jobsPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const failedJob = async (id: string): Promise<FailedJob> => {
      const job = await findFailedJob(ctx.database, id);
      if (!job) throw problems.notFound('The failed job');
      return job;
    };
    const audit = (actor: Parameters<typeof recordAudit>[1], event: { action: string; job: FailedJob }) =>
      ctx.database.db.transaction((tx) =>
        recordAudit(tx, actor, {
          action: event.action,
          targetType: 'job',
          targetId: event.job.id,
          details: { queue: event.job.queue, state: event.job.state, attempts: event.job.attempts },
        }),
      );

    app.get(
      '/failed',
      {
        config: { permission: 'settings.read' },
        schema: {
          operationId: 'listFailedJobs',
          tags: ['jobs'],
          querystring: FailedJobsQuery,
          response: {
            200: z.object({ items: z.array(FailedJobView), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      (request) => {
        const { cursor, ...filter } = request.query;
        return listFailedJobs(ctx.database, { ...filter, ...(cursor ? { before: cursor } : {}) });
      },
    );

    app.post(
      '/failed/:id/retry',
      {
        config: { permission: 'settings.manage' },
        schema: {
          operationId: 'retryFailedJob',
          tags: ['jobs'],
          params: z.strictObject({ id: Id }),
          response: { 200: FailedJobView, ...problemResponses },
        },
      },
      async (request) => {
        const job = await failedJob(request.params.id);
        if (!(await retryFailedJob(ctx.database, job))) throw problems.notFound('The failed job');
        await audit(request.actor, { action: 'jobs.failed.retried', job });
        return job;
      },
    );

    app.delete(
      '/failed/:id',
      {
        config: { permission: 'settings.manage' },
        schema: {
          operationId: 'discardFailedJob',
          tags: ['jobs'],
          params: z.strictObject({ id: Id }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const job = await failedJob(request.params.id);
        if (!(await discardFailedJob(ctx.database, job))) throw problems.notFound('The failed job');
        await audit(request.actor, { action: 'jobs.failed.discarded', job });
        return reply.status(204).send(null);
      },
    );
  };
}
