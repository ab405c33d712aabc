import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { Id, problemResponses } from '../../core/http/fields.ts';
import {
  dayRange,
  exportAnalyticsCsv,
  getAnalyticsSummary,
  getAnalyticsTimeseries,
} from './analytics.service.ts';

const tags = ['trust: analytics'];

const RangeQuery = z.strictObject({
  from: z.iso.date().optional().describe('First UTC day (YYYY-MM-DD); default 29 days before `to`'),
  to: z.iso.date().optional().describe('Last UTC day, inclusive; default today'),
});

const Counts = { requested: z.number(), granted: z.number(), viewed: z.number(), downloaded: z.number() };

const SummaryView = z.object({
  from: z.string(),
  to: z.string(),
  byDocument: z.array(
    z.object({
      documentId: Id,
      slug: z.string().nullable(),
      title: z.record(z.string(), z.string()),
      ...Counts,
      pageViews: z.number().describe("Views of the document's public page"),
    }),
  ),
  byPage: z
    .array(
      z.object({
        path: z.string().describe('Public path without the locale, e.g. /documents/soc-2'),
        views: z.number(),
      }),
    )
    .describe('Public page views (cookie-free, anonymous daily counts), busiest first'),
  byCompany: z.array(z.object({ company: z.string(), ...Counts })),
});

const TimeseriesView = z.object({
  days: z.array(
    z.object({ date: z.string(), ...Counts, pageViews: z.number().describe('Public page views') }),
  ),
});

export function analyticsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/analytics/summary',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'getTrustAnalyticsSummary',
          tags,
          querystring: RangeQuery,
          response: { 200: SummaryView, ...problemResponses },
        },
      },
      (request) => getAnalyticsSummary(ctx, dayRange(request.query)),
    );

    app.get(
      '/analytics/timeseries',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'getTrustAnalyticsTimeseries',
          tags,
          querystring: RangeQuery,
          response: { 200: TimeseriesView, ...problemResponses },
        },
      },
      (request) => getAnalyticsTimeseries(ctx, dayRange(request.query)),
    );

    app.get(
      '/analytics/events.csv',
      {
        config: { permission: 'trust.access.read' },
        schema: {
          operationId: 'exportTrustAnalyticsCsv',
          tags,
          description: 'Every event of the range as CSV (text/csv), spreadsheet-formula safe.',
          querystring: RangeQuery,
          response: { 200: z.string().describe('text/csv'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const range = dayRange(request.query);
        const csv = await exportAnalyticsCsv(ctx, request.actor, range);
        const name = `trust-events-${range.from.toISOString().slice(0, 10)}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
  };
}
