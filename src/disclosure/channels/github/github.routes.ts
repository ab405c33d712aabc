import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../core/context.ts';
import { problemResponses } from '../../../core/http/fields.ts';
import { defineGithubJobs } from './github.jobs.ts';
import { GithubStatusView, WebhookAnswer } from './github.schemas.ts';
import { githubImportSettings, readImportState, statusView } from './github.state.ts';
import { receiveGithubWebhook } from './github.webhook.ts';

const tags = ['disclosure: github'];
/** GitHub caps deliveries at 25 MB; an advisory event is a few kilobytes. */
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * GitHub private vulnerability reports, under /api/v1/disclosure: the `repository_advisory` webhook
 * (public, signed) and the import's status. Also defines the poll job.
 */
export function githubRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    await defineGithubJobs(ctx, plugin.log);
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/github/status',
      {
        config: { permission: 'disclosure.report.read' },
        schema: {
          operationId: 'getDisclosureGithubStatus',
          tags,
          description: 'Which repositories are watched, when GitHub was last polled, and the last error.',
          response: { 200: GithubStatusView, ...problemResponses },
        },
      },
      async () => statusView(githubImportSettings(ctx.config), await readImportState(ctx.database.db)),
    );

    // Its own scope: the signature covers the raw bytes, so this route keeps the body as a Buffer
    // (JSON or GitHub's form encoding) while every other route keeps Fastify's JSON parser.
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        ['application/json', 'application/x-www-form-urlencoded'],
        { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
        (_request, body, done) => done(null, body),
      );
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/github/webhook',
        {
          config: { public: true, rateLimit: { max: 120, timeWindow: 60_000 } },
          bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
          schema: {
            operationId: 'receiveDisclosureGithubWebhook',
            tags,
            description:
              "GitHub's webhook (content type application/json or form), signed with GITHUB_WEBHOOK_SECRET " +
              'in X-Hub-Signature-256. `repository_advisory` events with action `reported` on a configured ' +
              'repository become reports (201, or 200 when already imported); `ping` is answered; other ' +
              'events are acknowledged with 202. 404 while the webhook is not configured.',
            response: { 200: WebhookAnswer, 201: WebhookAnswer, 202: WebhookAnswer, ...problemResponses },
          },
        },
        async (request, reply) => {
          const result = await receiveGithubWebhook(
            ctx,
            request.actor,
            {
              body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
              contentType: header(request.headers['content-type']),
              signature: header(request.headers['x-hub-signature-256']),
              event: header(request.headers['x-github-event']),
              deliveryId: header(request.headers['x-github-delivery']),
            },
            request.log,
          );
          return reply.status(result.statusCode).send(result.answer);
        },
      );
    });
  };
}
