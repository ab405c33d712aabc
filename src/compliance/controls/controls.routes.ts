import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import { addEvidence } from '../evidence/evidence.service.ts';
import {
  ControlDetailView,
  ControlPage,
  ControlParams,
  ControlQuery,
  ControlUpdate,
  EvidenceCreate,
  EvidenceView,
} from './controls.schemas.ts';
import { getControl, listControls, updateControl } from './controls.service.ts';

/**
 * Controls and evidence under /api/v1/compliance (frameworks: ../frameworks/frameworks.routes.ts). Read:
 * `compliance.program.read` (owner, admin, compliance, auditor); write: `compliance.program.manage` (owner,
 * admin, compliance). Every write is audited.
 *
 *   GET   /controls                            paginated; status, family, frameworkId, search (id or title)
 *   GET   /controls/{controlId}                detail: mappings, required evidence, ledger items, status history
 *   PATCH /controls/{controlId}                owner, applicability (not applicable needs a justification), notes
 *   POST  /controls/{controlId}/evidence       a link or a note appended to the evidence ledger
 *
 * Statuses are derived: reads first re-derive them as of now (evidence expires with time alone).
 */
export function controlRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['compliance: program'];
    const read = { permission: 'compliance.program.read' } as const;
    const manage = { permission: 'compliance.program.manage' } as const;
    const db = ctx.database.db;

    app.get(
      '/controls',
      {
        config: read,
        schema: {
          operationId: 'listComplianceControls',
          tags,
          querystring: ControlQuery,
          response: { 200: ControlPage, ...problemResponses },
        },
      },
      (request) => listControls(db, request.query),
    );

    app.get(
      '/controls/:controlId',
      {
        config: read,
        schema: {
          operationId: 'getComplianceControl',
          tags,
          params: ControlParams,
          response: { 200: ControlDetailView, ...problemResponses },
        },
      },
      (request) => getControl(db, request.params.controlId),
    );

    app.patch(
      '/controls/:controlId',
      {
        config: manage,
        schema: {
          operationId: 'updateComplianceControl',
          tags,
          params: ControlParams,
          body: ControlUpdate,
          response: { 200: ControlDetailView, ...problemResponses },
        },
      },
      (request) => updateControl(db, request.actor, request.params.controlId, request.body),
    );

    app.post(
      '/controls/:controlId/evidence',
      {
        config: manage,
        schema: {
          operationId: 'addComplianceEvidence',
          tags,
          params: ControlParams,
          body: EvidenceCreate,
          response: { 201: EvidenceView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { collectedAt, expiresAt, ...rest } = request.body;
        const row = await addEvidence(db, request.actor, request.params.controlId, {
          ...rest,
          collectedAt: new Date(collectedAt),
          expiresAt: expiresAt ? new Date(expiresAt) : undefined,
        });
        reply.code(201);
        return {
          id: row.id,
          seq: row.seq,
          requirementIndex: row.requirementIndex,
          kind: row.kind,
          title: row.title,
          url: row.url,
          note: row.note,
          contentSha256: row.contentSha256,
          outcome: row.outcome,
          coveredFrom: row.coveredFrom,
          coveredTo: row.coveredTo,
          collectedAt: row.collectedAt,
          expiresAt: row.expiresAt,
          addedAt: row.addedAt,
          addedBy: row.addedByLabel,
          supersedes: row.supersedes,
          superseded: false,
        };
      },
    );
  };
}
