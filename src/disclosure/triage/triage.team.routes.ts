import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import { createCanned, deleteCanned, listCanned, updateCanned } from './triage.canned.ts';
import { computeMetrics } from './triage.metrics.ts';
import { listAssignees } from './triage.read.ts';
import {
  CannedResponseBody,
  CannedResponseParams,
  CannedResponseQuery,
  CannedResponseView,
  MetricsQuery,
  MetricsView,
  UpdateCannedResponseBody,
  UserRef,
} from './triage.schemas.ts';

const tags = ['disclosure: triage'];

/** The team's tools around reports: assignees, canned responses, metrics (see triage.routes.ts). */
export function triageTeamRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/assignees',
      {
        config: { permission: 'disclosure.report.read' },
        schema: {
          operationId: 'listDisclosureAssignees',
          tags,
          description: 'Active owners, admins and security users: who a report can be assigned to.',
          response: { 200: z.object({ items: z.array(UserRef) }), ...problemResponses },
        },
      },
      async () => ({ items: await listAssignees(ctx) }),
    );

    app.get(
      '/canned-responses',
      {
        config: { permission: 'disclosure.report.read' },
        schema: {
          operationId: 'listDisclosureCannedResponses',
          tags,
          querystring: CannedResponseQuery,
          response: { 200: z.object({ items: z.array(CannedResponseView) }), ...problemResponses },
        },
      },
      async (request) => ({ items: await listCanned(ctx, request.query.locale) }),
    );

    app.post(
      '/canned-responses',
      {
        config: { permission: 'disclosure.report.manage' },
        schema: {
          operationId: 'createDisclosureCannedResponse',
          tags,
          body: CannedResponseBody,
          response: { 201: CannedResponseView, ...problemResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await createCanned(ctx, request.actor, request.body)),
    );

    app.patch(
      '/canned-responses/:cannedResponseId',
      {
        config: { permission: 'disclosure.report.manage' },
        schema: {
          operationId: 'updateDisclosureCannedResponse',
          tags,
          params: CannedResponseParams,
          body: UpdateCannedResponseBody,
          response: { 200: CannedResponseView, ...problemResponses },
        },
      },
      (request) => updateCanned(ctx, request.actor, request.params.cannedResponseId, request.body),
    );

    app.delete(
      '/canned-responses/:cannedResponseId',
      {
        config: { permission: 'disclosure.report.manage' },
        schema: {
          operationId: 'deleteDisclosureCannedResponse',
          tags,
          params: CannedResponseParams,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await deleteCanned(ctx, request.actor, request.params.cannedResponseId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/metrics',
      {
        config: { permission: 'disclosure.metrics.read' },
        schema: {
          operationId: 'getDisclosureMetrics',
          tags,
          description:
            'Per month of receipt (program time zone): reports received; hours to first response, triage ' +
            'and resolution (median, average); share of first responses within the SLA. Aggregates only.',
          querystring: MetricsQuery,
          response: { 200: MetricsView, ...problemResponses },
        },
      },
      (request) => computeMetrics(ctx, request.query),
    );
  };
}
