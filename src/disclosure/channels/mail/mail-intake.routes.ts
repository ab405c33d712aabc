import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { problemResponses, Timestamp } from '../../../core/http/fields.ts';
import { mailIntakeJobs } from './mail-intake.process.ts';
import { mailIntakeStatus } from './mail-intake.ts';

const tags = ['disclosure: e-mail intake'];

const PollView = z.object({ stored: z.number(), alreadyStored: z.number(), tooLarge: z.number() });

const MailIntakeStatusView = z.object({
  smtp: z.object({
    configured: z.boolean(),
    listening: z.boolean(),
    port: z.number().nullable(),
    address: z.string().nullable(),
    starttls: z.boolean(),
  }),
  imap: z.object({
    configured: z.boolean(),
    mailbox: z.string().nullable().describe('The mailbox URL with its password masked'),
    pollSeconds: z.number().nullable(),
    lastPollAt: Timestamp.nullable(),
    lastPoll: PollView.nullable(),
  }),
  lastError: z.object({ at: Timestamp, source: z.string(), message: z.string() }).nullable(),
  pending: z.number().describe('Messages stored but not processed yet'),
  failing: z.number().describe('Pending messages whose last processing attempt failed'),
  lastReceivedAt: Timestamp.nullable(),
});

/**
 * Defines the e-mail intake's processing job (every process that builds the app can then enqueue it,
 * and those with workers run it), and shows the intake's status to the team.
 */
export function mailIntakeRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    await ctx.jobs.define(mailIntakeJobs(ctx));
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/mail-intake/status',
      {
        config: { permission: 'disclosure.report.read' },
        schema: {
          operationId: 'getDisclosureMailIntakeStatus',
          tags,
          description:
            'Which e-mail channels are configured and running in this process, the last poll and error, and the backlog of stored messages not processed yet.',
          response: { 200: MailIntakeStatusView, ...problemResponses },
        },
      },
      () => mailIntakeStatus(ctx),
    );
  };
}
