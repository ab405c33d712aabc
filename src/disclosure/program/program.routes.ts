import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import { problems } from '../../core/http/problem.ts';
import { renderPolicyPage } from '../policy/policy.page.ts';
import { renderPolicyBody, renderPolicyMarkdown } from '../policy/policy.render.ts';
import { defineProgramJobs } from './program.jobs.ts';
import {
  deactivateProgramKey,
  generateProgramKey,
  importProgramKey,
  listProgramKeys,
  type ProgramKeyView,
} from './program.keys.ts';
import { programProblems } from './program.problems.ts';
import { loadRenderState, localeOrDefault, policyContextOf, renderSecurityTxt } from './program.renders.ts';
import { ProgramSource } from './program.schema.ts';
import {
  GenerateKeyBody,
  ImportKeyBody,
  KeyParams,
  KeyView,
  PolicyMarkdownQuery,
  PreviewQuery,
  ProgramDraftView,
  PublishedView,
  VersionListView,
  VersionParams,
  VersionView,
} from './program.schemas.ts';
import {
  findPublishedProgram,
  getProgramDraft,
  getProgramVersion,
  getPublishedProgram,
  listProgramVersions,
  type ProgramDraft,
  publishProgram,
  updateProgramDraft,
} from './program.service.ts';

const READ = { permission: 'disclosure.program.read' };
const MANAGE = { permission: 'disclosure.program.manage' };
const tags = ['disclosure: program'];

const keyView = (key: ProgramKeyView) => ({
  ...key,
  expiresAt: key.expiresAt?.toISOString() ?? null,
  createdAt: key.createdAt.toISOString(),
});

/** The program's source (draft, publish, versions, previews), its SECURITY.md and its OpenPGP keys. */
export function programRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    await defineProgramJobs(ctx);
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    const draftView = async (draft: ProgramDraft) => {
      const published = await getPublishedProgram(ctx);
      return {
        source: draft.source,
        updatedAt: draft.updatedAt.toISOString(),
        updatedBy: draft.updatedBy,
        publishedVersion: published.version,
        publishedSource: published.source,
      };
    };

    app.get(
      '/program/draft',
      {
        config: READ,
        schema: {
          operationId: 'getDisclosureProgramDraft',
          tags,
          response: { 200: ProgramDraftView, ...problemResponses },
        },
      },
      async () => draftView(await getProgramDraft(ctx)),
    );

    app.put(
      '/program/draft',
      {
        config: MANAGE,
        schema: {
          operationId: 'updateDisclosureProgramDraft',
          tags,
          description: 'Replaces the draft. The public sees nothing of it until it is published.',
          body: ProgramSource,
          response: { 200: ProgramDraftView, ...problemResponses },
        },
      },
      async (request) => draftView(await updateProgramDraft(ctx, request.actor, request.body)),
    );

    app.post(
      '/program/publish',
      {
        config: { ...MANAGE, rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          operationId: 'publishDisclosureProgram',
          tags,
          description:
            'Publishes the draft as the next version: the policy page, SECURITY.md and security.txt change at once.',
          response: { 201: PublishedView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const published = await publishProgram(ctx, request.actor);
        return reply
          .status(201)
          .send({ version: published.version, publishedAt: published.publishedAt.toISOString() });
      },
    );

    app.get(
      '/program/versions',
      {
        config: READ,
        schema: {
          operationId: 'listDisclosureProgramVersions',
          tags,
          response: { 200: VersionListView, ...problemResponses },
        },
      },
      async () => ({
        items: (await listProgramVersions(ctx)).map((v) => ({
          ...v,
          publishedAt: v.publishedAt.toISOString(),
        })),
      }),
    );

    app.get(
      '/program/versions/:version',
      {
        config: READ,
        schema: {
          operationId: 'getDisclosureProgramVersion',
          tags,
          params: VersionParams,
          response: { 200: VersionView, ...problemResponses },
        },
      },
      async (request) => {
        const found = await getProgramVersion(ctx, request.params.version);
        if (!found) throw programProblems.versionNotFound(request.params.version);
        return { version: found.version, publishedAt: found.publishedAt.toISOString(), source: found.source };
      },
    );

    app.get(
      '/program/preview',
      {
        config: READ,
        schema: {
          operationId: 'previewDisclosureProgram',
          tags,
          description:
            'The draft rendered as the public would get it once published: the policy page (html), SECURITY.md (markdown) or security.txt (securitytxt).',
          querystring: PreviewQuery,
          response: {
            200: z.string().describe('text/html, text/markdown or text/plain'),
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const { source } = await getProgramDraft(ctx);
        const published = await getPublishedProgram(ctx);
        const locale = localeOrDefault(source, request.query.locale);
        const state = await loadRenderState(ctx);
        const context = policyContextOf(
          ctx,
          { version: published.version + 1, publishedAt: new Date() },
          state,
        );
        reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
        if (request.query.render === 'markdown') {
          return reply
            .type('text/markdown; charset=utf-8')
            .send(renderPolicyMarkdown(source, locale, context));
        }
        if (request.query.render === 'securitytxt') {
          return reply
            .type('text/plain; charset=utf-8')
            .send(await renderSecurityTxt(ctx, source, state, new Date()));
        }
        const body = renderPolicyBody(source, locale, context);
        return reply
          .type('text/html; charset=utf-8')
          .send(await renderPolicyPage(ctx, source, locale, body, { preview: true }));
      },
    );

    app.get(
      '/policy.md',
      {
        config: { public: true, rateLimit: { max: 120, timeWindow: 60_000 } },
        schema: {
          operationId: 'getDisclosurePolicyMarkdown',
          tags,
          description: 'The published policy as a SECURITY.md for repositories.',
          querystring: PolicyMarkdownQuery,
          response: { 200: z.string().describe('text/markdown'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const published = await findPublishedProgram(ctx);
        if (!published) throw problems.notFound('The disclosure policy');
        const locale = localeOrDefault(published.source, request.query.locale);
        const context = policyContextOf(ctx, published, await loadRenderState(ctx));
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-language', locale)
          .header('cache-control', 'public, no-cache')
          .send(renderPolicyMarkdown(published.source, locale, context));
      },
    );

    app.get(
      '/program/keys',
      {
        config: READ,
        schema: {
          operationId: 'listDisclosureProgramKeys',
          tags,
          response: { 200: z.object({ items: z.array(KeyView) }), ...problemResponses },
        },
      },
      async () => ({ items: (await listProgramKeys(ctx)).map(keyView) }),
    );

    app.post(
      '/program/keys',
      {
        config: { ...MANAGE, rateLimit: { max: 10, timeWindow: 60_000 } },
        schema: {
          operationId: 'generateDisclosureProgramKey',
          tags,
          description:
            'Generates an OpenPGP key (ECC Curve25519) for the program: researchers encrypt to it and security.txt is signed with it.',
          body: GenerateKeyBody,
          response: { 201: KeyView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { source } = await getProgramDraft(ctx);
        const email = source.contacts.find((c) => c.kind === 'email')?.value.replace(/^mailto:/, '');
        const key = await generateProgramKey(ctx, request.actor, {
          name: request.body.name ?? `${source.companyName} Security`,
          email: request.body.email ?? email ?? `security@${new URL(ctx.config.publicUrl).hostname}`,
          expiresInDays: request.body.expiresInDays,
        });
        return reply.status(201).send(keyView(key));
      },
    );

    app.post(
      '/program/keys/import',
      {
        config: { ...MANAGE, rateLimit: { max: 10, timeWindow: 60_000 } },
        schema: {
          operationId: 'importDisclosureProgramKey',
          tags,
          description: 'Imports an armored OpenPGP private key (with its passphrase when it has one).',
          body: ImportKeyBody,
          response: { 201: KeyView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(keyView(await importProgramKey(ctx, request.actor, request.body))),
    );

    app.delete(
      '/program/keys/:keyId',
      {
        config: MANAGE,
        schema: {
          operationId: 'deactivateDisclosureProgramKey',
          tags,
          description: 'Takes the key out of use; it stays listed.',
          params: KeyParams,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await deactivateProgramKey(ctx, request.actor, request.params.keyId);
        return reply.status(204).send(null);
      },
    );
  };
}
