import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { Id, LocaleField, problemResponses } from '../../core/http/fields.ts';
import {
  buildDraftSnapshot,
  listPublications,
  publicationStatus,
  publishSite,
} from '../publication/publication.service.ts';
import { renderHome } from '../site/home.page.ts';
import { todayUtc } from '../site/localize.ts';
import {
  type Collection,
  collections,
  createItem,
  deleteItem,
  listItems,
  reorderItems,
  updateItem,
} from './content.collections.ts';
import {
  CertificationView,
  CreateCertificationBody,
  CreateFaqBody,
  CreateSectionBody,
  CreateSubprocessorBody,
  CreateUpdateNoteBody,
  FaqView,
  ProfileView,
  ReorderBody,
  SectionView,
  SubprocessorView,
  UpdateCertificationBody,
  UpdateFaqBody,
  UpdateNoteView,
  UpdateProfileBody,
  UpdateSectionBody,
  UpdateSubprocessorBody,
  UpdateUpdateNoteBody,
} from './content.schemas.ts';
import { getProfile, updateProfile } from './content.service.ts';

const READ = { permission: 'trust.content.read' };
const MANAGE = { permission: 'trust.content.manage' };
const TAG = ['trust: content'];

type CollectionRoutes = {
  path: string;
  /** Capitalised plural and singular for operation ids: listCertifications, createCertification. */
  plural: string;
  singular: string;
  collection: Collection;
  create: z.ZodType;
  update: z.ZodType;
  view: z.ZodType;
};

const routed: CollectionRoutes[] = [
  {
    path: '/certifications',
    plural: 'TrustCertifications',
    singular: 'TrustCertification',
    collection: collections.certifications,
    create: CreateCertificationBody,
    update: UpdateCertificationBody,
    view: CertificationView,
  },
  {
    path: '/sections',
    plural: 'TrustSections',
    singular: 'TrustSection',
    collection: collections.sections,
    create: CreateSectionBody,
    update: UpdateSectionBody,
    view: SectionView,
  },
  {
    path: '/faqs',
    plural: 'TrustFaqs',
    singular: 'TrustFaq',
    collection: collections.faqs,
    create: CreateFaqBody,
    update: UpdateFaqBody,
    view: FaqView,
  },
  {
    path: '/subprocessors',
    plural: 'TrustSubprocessors',
    singular: 'TrustSubprocessor',
    collection: collections.subprocessors,
    create: CreateSubprocessorBody,
    update: UpdateSubprocessorBody,
    view: SubprocessorView,
  },
  {
    path: '/updates',
    plural: 'TrustUpdates',
    singular: 'TrustUpdate',
    collection: collections.updates,
    create: CreateUpdateNoteBody,
    update: UpdateUpdateNoteBody,
    view: UpdateNoteView,
  },
];

/** The trust center's draft content, its publication and its preview, under /api/v1/trust. */
export function contentRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/profile',
      {
        config: READ,
        schema: {
          operationId: 'getTrustProfile',
          tags: TAG,
          response: { 200: ProfileView, ...problemResponses },
        },
      },
      () => getProfile(ctx),
    );

    app.patch(
      '/profile',
      {
        config: MANAGE,
        schema: {
          operationId: 'updateTrustProfile',
          tags: TAG,
          body: UpdateProfileBody,
          response: { 200: ProfileView, ...problemResponses },
        },
      },
      (request) => updateProfile(ctx, request.actor, request.body),
    );

    for (const r of routed) registerCollection(app, ctx, r);

    app.post(
      '/publish',
      {
        config: { ...MANAGE, rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          operationId: 'publishTrustCenter',
          tags: TAG,
          description: 'Snapshots the draft (profile, content and documents); visitors see it at once.',
          response: {
            201: z.object({ version: z.number().int(), publishedAt: z.string() }),
            ...problemResponses,
          },
        },
      },
      async (request, reply) => reply.status(201).send(await publishSite(ctx, request.actor)),
    );

    app.get(
      '/publications',
      {
        config: READ,
        schema: {
          operationId: 'listTrustPublications',
          tags: TAG,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  version: z.number().int(),
                  publishedAt: z.string(),
                  publishedBy: z.string().nullable(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async () => ({ items: await listPublications(ctx.database.db) }),
    );

    app.get(
      '/publication-status',
      {
        config: READ,
        schema: {
          operationId: 'getTrustPublicationStatus',
          tags: TAG,
          description:
            'Whether the draft differs from the live site (the latest publication), and where the live site is.',
          response: {
            200: z.object({
              publishedVersion: z.number().int().nullable(),
              publishedAt: z.string().nullable(),
              unpublishedChanges: z.boolean(),
              liveUrl: z.string(),
            }),
            ...problemResponses,
          },
        },
      },
      async () => ({ ...(await publicationStatus(ctx)), liveUrl: `${ctx.config.publicUrl}/` }),
    );

    app.get(
      '/preview/:locale',
      {
        config: READ,
        schema: {
          operationId: 'previewTrustCenter',
          tags: TAG,
          description: 'The draft home page as a visitor would see it (HTML, not indexed, not cached).',
          params: z.strictObject({ locale: LocaleField }),
          response: { 200: z.string().describe('text/html'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const site = await buildDraftSnapshot(ctx, ctx.database.db);
        const html = renderHome({
          site,
          locale: request.params.locale,
          publicUrl: ctx.config.publicUrl,
          today: todayUtc(),
          preview: true,
        });
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-robots-tag', 'noindex')
          .send(html);
      },
    );
  };
}

function registerCollection(plugin: FastifyInstance, ctx: AppContext, r: CollectionRoutes): void {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  const c = r.collection;
  const param = `${c.noun}Id`;
  const Params = z.strictObject({ [param]: Id });
  const tags = TAG;
  const idOf = (params: unknown) => (params as Record<string, string>)[param] as string;

  app.get(
    r.path,
    {
      config: READ,
      schema: {
        operationId: `list${r.plural}`,
        tags,
        response: { 200: z.object({ items: z.array(r.view) }), ...problemResponses },
      },
    },
    async () => ({ items: await listItems(ctx, c) }),
  );
  app.post(
    r.path,
    {
      config: MANAGE,
      schema: {
        operationId: `create${r.singular}`,
        tags,
        body: r.create,
        response: { 201: r.view, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createItem(ctx, request.actor, c, request.body as Record<string, unknown>)),
  );
  app.patch(
    `${r.path}/:${param}`,
    {
      config: MANAGE,
      schema: {
        operationId: `update${r.singular}`,
        tags,
        params: Params,
        body: r.update,
        response: { 200: r.view, ...problemResponses },
      },
    },
    (request) =>
      updateItem(ctx, request.actor, c, idOf(request.params), request.body as Record<string, unknown>),
  );
  app.delete(
    `${r.path}/:${param}`,
    {
      config: MANAGE,
      schema: {
        operationId: `delete${r.singular}`,
        tags,
        params: Params,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await deleteItem(ctx, request.actor, c, idOf(request.params));
      return reply.status(204).send(null);
    },
  );
  if (!c.position) return;
  app.put(
    `${r.path}/order`,
    {
      config: MANAGE,
      schema: {
        operationId: `reorder${r.plural}`,
        tags,
        description: 'Sets the display order: give every id once, in the new order.',
        body: ReorderBody,
        response: { 200: z.object({ items: z.array(r.view) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await reorderItems(ctx, request.actor, c, request.body.ids) }),
  );
}
