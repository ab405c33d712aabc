import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import { addEvidence } from '../evidence/evidence.service.ts';
import { frameworkOscal, listFrameworks, setFrameworkEnabled } from '../frameworks/frameworks.service.ts';
import {
  ControlDetailView,
  ControlPage,
  ControlParams,
  ControlQuery,
  ControlUpdate,
  EvidenceCreate,
  EvidenceView,
  FrameworkEnabledView,
  FrameworkParams,
  FrameworkUpdate,
  FrameworkView,
  OscalQuery,
} from './controls.schemas.ts';
import { getControl, listControls, updateControl } from './controls.service.ts';

/**
 * The compliance program API under /api/v1/compliance. Read: `compliance.program.read` (owner, admin,
 * compliance, auditor); write: `compliance.program.manage` (owner, admin, compliance). Every write is audited.
 *
 *   GET   /frameworks                          live frameworks with readiness (share of applicable requirements met)
 *   PATCH /frameworks/{frameworkId}            { enabled }: the company follows it or not
 *   GET   /frameworks/{frameworkId}/oscal      the framework as an OSCAL 1.0.6 catalog (?locale=en|es|fr)
 *   GET   /controls                            paginated; status, family, frameworkId, search (id or title)
 *   GET   /controls/{controlId}                detail: mappings, required evidence, ledger items, status history
 *   PATCH /controls/{controlId}                owner, applicability (not applicable needs a justification), notes
 *   POST  /controls/{controlId}/evidence       a link or a note appended to the evidence ledger
 *
 * Statuses are derived: reads first re-derive them as of now (evidence expires with time alone).
 */
export function programRoutes(ctx: AppContext): FastifyPluginAsync {
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
