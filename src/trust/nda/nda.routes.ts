import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { Id, LocaleField, Name, problemResponses } from '../../core/http/fields.ts';
import { Domain } from '../access/access-requests.schemas.ts';
import {
  createNdaExemption,
  createNdaTemplate,
  deleteNdaExemptionById,
  listNdaAcceptances,
  listNdaExemptions,
  listNdaTemplates,
  updateNdaTemplate,
} from './nda.service.ts';

const tags = ['trust: nda'];

const NdaTemplateView = z.object({
  id: Id,
  locale: z.string(),
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  sha256: z.string().describe('SHA-256 of the text shown: title, a blank line, body'),
  active: z.boolean(),
  acceptances: z.number().int(),
  createdAt: z.string(),
});

const NdaTitle = z.string().trim().min(1).max(200);
const NdaBody = z.string().trim().min(1).max(100_000);

const NdaExemptionView = z.object({
  id: Id,
  domain: z.string(),
  company: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

const NdaAcceptanceView = z.object({
  id: Id,
  visitorId: Id,
  templateId: Id,
  locale: z.string(),
  version: z.number().int(),
  textSha256: z.string(),
  fullName: z.string(),
  email: z.string(),
  company: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  acceptedAt: z.string(),
});

const exemptionView = (row: {
  id: string;
  domain: string;
  company: string;
  note: string | null;
  createdAt: Date;
}) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

/** NDA templates (versioned per locale), exemptions per company domain, and the acceptance records. */
export function ndaRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/nda-templates',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'listNdaTemplates',
          tags,
          querystring: z.strictObject({ locale: LocaleField.optional() }),
          response: { 200: z.object({ items: z.array(NdaTemplateView) }), ...problemResponses },
        },
      },
      async (request) => ({ items: await listNdaTemplates(ctx, request.query.locale) }),
    );

    app.post(
      '/nda-templates',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'createNdaTemplate',
          tags,
          description: "Adds the locale's next version, which visitors are shown from now on.",
          body: z.strictObject({ locale: LocaleField, title: NdaTitle, body: NdaBody }),
          response: { 201: NdaTemplateView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createNdaTemplate(ctx, request.actor, request.body)),
    );

    app.patch(
      '/nda-templates/:templateId',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'updateNdaTemplate',
          tags,
          description:
            'Text changes only before anyone accepted the version (else 409: create a new version).',
          params: z.strictObject({ templateId: Id }),
          body: z
            .strictObject({
              title: NdaTitle.optional(),
              body: NdaBody.optional(),
              active: z.boolean().optional(),
            })
            .refine((body) => Object.keys(body).length > 0, { error: 'give title, body or active' }),
          response: { 200: NdaTemplateView, ...problemResponses },
        },
      },
      (request) => updateNdaTemplate(ctx, request.actor, request.params.templateId, request.body),
    );

    app.get(
      '/nda-acceptances',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'listNdaAcceptances',
          tags,
          querystring: z.strictObject({
            visitorId: Id.optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(NdaAcceptanceView) }), ...problemResponses },
        },
      },
      async (request) => ({
        items: await listNdaAcceptances(ctx, { visitorId: request.query.visitorId }, request.query.limit),
      }),
    );

    app.get(
      '/nda-exemptions',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'listNdaExemptions',
          tags,
          response: { 200: z.object({ items: z.array(NdaExemptionView) }), ...problemResponses },
        },
      },
      async () => ({ items: (await listNdaExemptions(ctx)).map(exemptionView) }),
    );

    app.post(
      '/nda-exemptions',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'createNdaExemption',
          tags,
          description: 'Visitors whose e-mail is at this domain (or a subdomain) skip the NDA click-through.',
          body: z.strictObject({
            domain: Domain,
            company: Name,
            note: z.string().trim().min(1).max(2000).optional(),
          }),
          response: { 201: NdaExemptionView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(exemptionView(await createNdaExemption(ctx, request.actor, request.body))),
    );

    app.delete(
      '/nda-exemptions/:exemptionId',
      {
        config: { permission: 'trust.access.manage' },
        schema: {
          operationId: 'deleteNdaExemption',
          tags,
          params: z.strictObject({ exemptionId: Id }),
          response: { 204: z.null().describe('Deleted'), ...problemResponses },
        },
      },
      async (request, reply) => {
        await deleteNdaExemptionById(ctx, request.actor, request.params.exemptionId);
        return reply.status(204).send(null);
      },
    );
  };
}
