import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { applyToEach, BulkResultsView } from '../../core/http/bulk.ts';
import { Id, problemResponses } from '../../core/http/fields.ts';
import { problems } from '../../core/http/problem.ts';
import { analyticsRoutes } from '../analytics/analytics.routes.ts';
import { ndaRoutes } from '../nda/nda.routes.ts';
import { subscriptionJobs } from '../subscriptions/subscriptions.jobs.ts';
import { subscriberRoutes } from '../subscriptions/subscriptions.routes.ts';
import {
  approveAccessRequest,
  denyAccessRequest,
  getDomainLists,
  listAccessRequests,
  updateDomainLists,
} from './access-requests.admin.service.ts';
import {
  AccessRequestQuery,
  AccessRequestView,
  ApproveBody,
  BulkAccessRequestsBody,
  DenyBody,
  DomainListsBody,
  DomainListsView,
  GrantView,
  page,
  pageOf,
  SubmitAccessRequestBody,
} from './access-requests.schemas.ts';
import { submitAccessRequest } from './access-requests.service.ts';
import { grantsRoutes } from './grants.routes.ts';

const tags = ['trust: access'];

/**
 * The access module's API under /api/v1/trust: access requests and domain lists (here), grants, NDA
 * templates and exemptions, analytics and subscribers. Also defines the module's job types.
 */
export function accessApiPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await ctx.jobs.define(subscriptionJobs(ctx));
    await app.register(accessRequestRoutes(ctx));
    await app.register(grantsRoutes(ctx));
    await app.register(ndaRoutes(ctx));
    await app.register(analyticsRoutes(ctx));
    await app.register(subscriberRoutes(ctx));
  };
}

function accessRequestRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/access-requests',
      {
        config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
        schema: {
          operationId: 'submitAccessRequest',
          tags,
          description: 'A visitor asks for a gated document; a confirmation link goes to the e-mail address.',
          body: SubmitAccessRequestBody,
          response: { 202: z.object({ status: z.literal('confirmation-sent') }), ...problemResponses },
        },
      },
      async (request, reply) => {
        const { documentSlug, locale, ...fields } = request.body;
        const result = await submitAccessRequest(ctx, request.actor, { ...fields, documentSlug, locale });
        if (result === 'rate-limited') throw problems.rateLimited(3600);
        return reply.status(202).send({ status: 'confirmation-sent' as const });
      },
    );

    app.get(
      '/access-requests',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'listAccessRequests',
          tags,
          querystring: AccessRequestQuery,
          response: { 200: page(AccessRequestView), ...problemResponses },
        },
      },
      (request) => {
        const { status, search } = request.query;
        return listAccessRequests(ctx, { status, search }, pageOf(request.query));
      },
    );

    app.post(
      '/access-requests/:requestId/approve',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'approveAccessRequest',
          tags,
          params: z.strictObject({ requestId: Id }),
          body: ApproveBody,
          response: { 200: z.object({ request: AccessRequestView, grant: GrantView }), ...problemResponses },
        },
      },
      (request) => approveAccessRequest(ctx, request.actor, request.params.requestId, request.body),
    );

    app.post(
      '/access-requests/:requestId/deny',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'denyAccessRequest',
          tags,
          params: z.strictObject({ requestId: Id }),
          body: DenyBody,
          response: { 200: AccessRequestView, ...problemResponses },
        },
      },
      (request) => denyAccessRequest(ctx, request.actor, request.params.requestId, request.body),
    );

    app.post(
      '/access-requests/bulk',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'bulkDecideAccessRequests',
          tags,
          description:
            'Approves or denies several requests, each as the single approve/deny would (own transaction, ' +
            'audit entry and mail); a refusal (e.g. no longer pending) is reported per id, the others done.',
          body: BulkAccessRequestsBody,
          response: { 200: BulkResultsView, ...problemResponses },
        },
      },
      (request) => {
        const { requestIds, action } = request.body;
        if (action.type === 'approve') {
          const { type: _type, ...input } = action;
          return applyToEach(request, requestIds, (id) =>
            approveAccessRequest(ctx, request.actor, id, input),
          );
        }
        return applyToEach(request, requestIds, (id) =>
          denyAccessRequest(ctx, request.actor, id, { note: action.note }),
        );
      },
    );

    app.get(
      '/domain-lists',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'getDomainLists',
          tags,
          response: { 200: DomainListsView, ...problemResponses },
        },
      },
      () => getDomainLists(ctx),
    );

    app.put(
      '/domain-lists',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'updateDomainLists',
          tags,
          description:
            'Requests from allow-listed domains are approved at once, from deny-listed ones denied.',
          body: DomainListsBody,
          response: { 200: DomainListsView, ...problemResponses },
        },
      },
      (request) =>
        updateDomainLists(ctx, request.actor, {
          allowDomains: [...new Set(request.body.allowDomains)],
          denyDomains: [...new Set(request.body.denyDomains)],
        }),
    );
  };
}
