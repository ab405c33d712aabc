import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { applyToEach, BulkIds, BulkResultsView } from '../../core/http/bulk.ts';
import { Id, problemResponses } from '../../core/http/fields.ts';
import { updateReportFields } from './triage.edits.ts';
import { TransitionBody } from './triage.schemas.ts';
import { transitionReport } from './triage.service.ts';

export const BulkReportsBody = z.strictObject({
  reportIds: BulkIds,
  action: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('assign'),
      assigneeId: Id.nullable().describe('An active owner, admin or security user; null unassigns'),
    }),
    TransitionBody.extend({ type: z.literal('transition') }),
  ]),
});

/**
 * POST /api/v1/disclosure/reports/bulk: one action on up to 100 reports, through the single-report
 * services (PATCH assigneeId, POST transition), so each report is changed, audited and mailed exactly
 * as one at a time would be, in its own transaction. Always 200 with one result per id.
 */
export function triageBulkRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/reports/bulk',
      {
        config: { permission: 'disclosure.report.manage' },
        schema: {
          operationId: 'bulkUpdateDisclosureReports',
          tags: ['disclosure: triage'],
          description:
            'Assigns or transitions several reports; each is done as the single action would be, and a ' +
            'refusal (e.g. a transition not allowed from its state) is reported per id, the others still done.',
          body: BulkReportsBody,
          response: { 200: BulkResultsView, ...problemResponses },
        },
      },
      (request) => {
        const { reportIds, action } = request.body;
        if (action.type === 'assign') {
          const { assigneeId } = action;
          return applyToEach(request, reportIds, (id) =>
            updateReportFields(ctx, request.actor, id, { assigneeId }),
          );
        }
        const { type: _type, ...transition } = action;
        return applyToEach(request, reportIds, (id) => transitionReport(ctx, request.actor, id, transition));
      },
    );
  };
}
