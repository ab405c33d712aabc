import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import { exportAdvisory } from './advisories.files.ts';
import { advisoryDraftFromReport } from './advisories.from-report.ts';
import {
  AdvisoryDraft,
  AdvisoryDraftParams,
  AdvisoryPage,
  AdvisoryParams,
  AdvisoryView,
  CreateAdvisoryBody,
  ExportParams,
  ExportQuery,
  ListAdvisoriesQuery,
  PublishBody,
  UpdateAdvisoryBody,
} from './advisories.schemas.ts';
import {
  createAdvisory,
  deleteAdvisory,
  getAdvisory,
  listAdvisories,
  publishAdvisory,
  updateAdvisory,
} from './advisories.service.ts';
import { shareAdvisoryWithResearcher } from './advisories.share.ts';

const READ = { permission: 'disclosure.advisory.read' };
const MANAGE = { permission: 'disclosure.advisory.manage' };
const tags = ['disclosure: advisories'];

/** Security advisories: drafts, sharing with the researcher, publication and exports, under /api/v1/disclosure. */
export function advisoryRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/advisories',
      {
        config: READ,
        schema: {
          operationId: 'listDisclosureAdvisories',
          tags,
          querystring: ListAdvisoriesQuery,
          response: { 200: AdvisoryPage, ...problemResponses },
        },
      },
      (request) => listAdvisories(ctx, request.query),
    );

    app.post(
      '/advisories',
      {
        config: MANAGE,
        schema: {
          operationId: 'createDisclosureAdvisory',
          tags,
          description: 'Creates a draft; its identifier (PREFIX-YYYY-NNNN) comes from the organisation name.',
          body: CreateAdvisoryBody,
          response: { 201: AdvisoryView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createAdvisory(ctx, request.actor, request.body)),
    );

    app.get(
      '/reports/:reportId/advisory-draft',
      {
        config: MANAGE,
        schema: {
          operationId: 'draftDisclosureAdvisoryFromReport',
          tags,
          description:
            "An advisory's fields proposed from the report (title, CWE, CVSS, product, the researcher's " +
            'credit as they chose it), for the form to save as a new draft. Nothing is stored.',
          params: AdvisoryDraftParams,
          response: { 200: AdvisoryDraft, ...problemResponses },
        },
      },
      (request) => advisoryDraftFromReport(ctx, request.actor, request.params.reportId),
    );

    app.get(
      '/advisories/:advisoryId',
      {
        config: READ,
        schema: {
          operationId: 'getDisclosureAdvisory',
          tags,
          params: AdvisoryParams,
          response: { 200: AdvisoryView, ...problemResponses },
        },
      },
      (request) => getAdvisory(ctx, request.params.advisoryId),
    );

    app.patch(
      '/advisories/:advisoryId',
      {
        config: MANAGE,
        schema: {
          operationId: 'updateDisclosureAdvisory',
          tags,
          description:
            'Changes a draft, or revises a published advisory (a new public revision, described by revisionSummary).',
          params: AdvisoryParams,
          body: UpdateAdvisoryBody,
          response: { 200: AdvisoryView, ...problemResponses },
        },
      },
      (request) => updateAdvisory(ctx, request.actor, request.params.advisoryId, request.body),
    );

    app.delete(
      '/advisories/:advisoryId',
      {
        config: MANAGE,
        schema: {
          operationId: 'deleteDisclosureAdvisory',
          tags,
          description: 'Deletes a draft or shared advisory; published ones stay.',
          params: AdvisoryParams,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await deleteAdvisory(ctx, request.actor, request.params.advisoryId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/advisories/:advisoryId/share',
      {
        config: { ...MANAGE, rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          operationId: 'shareDisclosureAdvisory',
          tags,
          description:
            "Posts the draft in the linked report's conversation for the researcher to comment on (they get an e-mail).",
          params: AdvisoryParams,
          response: { 200: AdvisoryView, ...problemResponses },
        },
      },
      (request) => shareAdvisoryWithResearcher(ctx, request.actor, request.params.advisoryId),
    );

    app.post(
      '/advisories/:advisoryId/publish',
      {
        config: { ...MANAGE, rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          operationId: 'publishDisclosureAdvisory',
          tags,
          description:
            'Publishes the advisory on the public site, the CSAF feed and OSV. Refused (409 advisory-embargoed) while embargoUntil is ahead, unless force is true.',
          params: AdvisoryParams,
          body: PublishBody,
          response: { 200: AdvisoryView, ...problemResponses },
        },
      },
      (request) =>
        publishAdvisory(ctx, request.actor, request.params.advisoryId, {
          force: request.body?.force ?? false,
        }),
    );

    app.get(
      '/advisories/:advisoryId/export/:format',
      {
        config: READ,
        schema: {
          operationId: 'exportDisclosureAdvisory',
          tags,
          description:
            'The advisory as OSV, CSAF 2.0, a CVE JSON 5 record (needs cveId and ?cnaOrgId=) or the body of GitHub’s create-a-repository-security-advisory request. Downloaded as a JSON file.',
          params: ExportParams,
          querystring: ExportQuery,
          response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
        },
      },
      async (request, reply) => {
        const file = await exportAdvisory(ctx, request.params.advisoryId, request.params.format, {
          cnaOrgId: request.query.cnaOrgId,
        });
        return reply
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'no-store')
          .send(file.document as Record<string, unknown>);
      },
    );
  };
}
