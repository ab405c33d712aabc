import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/http/fields.ts';
import { contentDisposition, FILE_HEADERS } from '../../trust/index.ts';
import { triageBulkRoutes } from './triage.bulk.routes.ts';
import { eraseReporter, postToReport, updateReportFields } from './triage.edits.ts';
import { exportInboxCsv, MAX_REPORT_EXPORT_ROWS } from './triage.export.ts';
import { downloadAttachment, getReportDetail, listInbox } from './triage.read.ts';
import {
  AttachmentParams,
  EraseReporterView,
  FirstResponseBody,
  InboxPage,
  InboxQuery,
  MessageBody,
  MessageView,
  ReportDetailView,
  ReportParams,
  ReportSummaryView,
  TransitionBody,
  UpdateReportBody,
} from './triage.schemas.ts';
import { sendFirstResponse, transitionReport } from './triage.service.ts';
import { defineSlaJobs } from './triage.sla.ts';
import { triageTeamRoutes } from './triage.team.routes.ts';

/**
 * Triage API under /api/v1/disclosure. Read: `disclosure.report.read`; write: `disclosure.report.manage`
 * (owner, admin, security); metrics: `disclosure.metrics.read`. Every read of sealed data is audited.
 *
 *   GET    /reports                          inbox: filters status, subStatus, state=open|closed, asset,
 *                                            severity (incl. unrated), assignee=<id>|me|none, overdue,
 *                                            outOfScope, search; page by limit + cursor (offset). Titles
 *                                            are opened for the page only, audited once per call
 *                                            (`disclosure.report.listed`). `search` matches a number in
 *                                            SQL, the asset in SQL, and titles among the 500 most recent
 *                                            reports passing the other filters (titles are sealed).
 *   GET    /reports/{id}                     everything, opened (content, reporter, attachments, messages
 *                                            with notes, timeline, duplicates, SLA), audited
 *                                            `disclosure.report.viewed`
 *   GET    /reports/{id}/attachments/{aid}   the file, always as a download, audited
 *                                            `disclosure.attachment.downloaded`
 *   POST   /reports/{id}/transition          { to, subStatus?, message?, duplicateOf? } by triage.states.ts;
 *                                            system line + status mail to the researcher (with the message)
 *   POST   /reports/{id}/first-response      { assessment, expectedResolutionOn, status? }: both required
 *                                            (422 otherwise), once (409), mailed as the first response
 *   POST   /reports/{id}/messages            { body }: seen by and mailed to the researcher
 *   POST   /reports/{id}/notes               { body }: internal, never shown or mailed to the researcher
 *   PATCH  /reports/{id}                     assigneeId, cvssVector (3.1 / 4.0 → score, severity, fix
 *                                            target), severity (without a vector), cweId, issueUrl, asset,
 *                                            category
 *   POST   /reports/{id}/erase-reporter      the reporter's personal data erased, the report kept. Any
 *                                            triager may do it (disclosure.report.manage): erasure is a
 *                                            duty on request, not a privilege, and it is audited.
 *   POST   /reports/bulk                     assign or transition up to 100 (triage.bulk.routes.ts)
 *   GET    /assignees                        active owners, admins, security users
 *   GET    /canned-responses?locale          POST, PATCH /{id}, DELETE /{id}: texts per locale
 *   GET    /metrics?from=YYYY-MM&to=YYYY-MM  per-month aggregates (disclosure.metrics.read)
 *
 * Writes answer the report's summary (the inbox row). The SLA watch (triage.sla.ts) is scheduled here.
 */
export function triageRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    await defineSlaJobs(ctx);
    await plugin.register(triageTeamRoutes(ctx));
    await plugin.register(triageBulkRoutes(ctx));
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['disclosure: triage'];
    const read = { permission: 'disclosure.report.read' } as const;
    const manage = { permission: 'disclosure.report.manage' } as const;

    app.get(
      '/reports',
      {
        config: read,
        schema: {
          operationId: 'listDisclosureReports',
          tags,
          querystring: InboxQuery,
          response: { 200: InboxPage, ...problemResponses },
        },
      },
      (request) => listInbox(ctx, request.actor, request.query),
    );

    app.get(
      '/reports.csv',
      {
        config: read,
        schema: {
          operationId: 'exportDisclosureReportsCsv',
          tags,
          description:
            'The inbox with the same filters as CSV (text/csv), spreadsheet-formula safe: summary columns only ' +
            `(no titles, contents or reporters), at most ${MAX_REPORT_EXPORT_ROWS} rows. Audited.`,
          querystring: InboxQuery.omit({ limit: true, cursor: true }),
          response: { 200: z.string().describe('text/csv'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const csv = await exportInboxCsv(ctx, request.actor, request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="reports-${new Date().toISOString().slice(0, 10)}.csv"`,
          )
          .send(csv);
      },
    );

    app.get(
      '/reports/:reportId',
      {
        config: read,
        schema: {
          operationId: 'getDisclosureReport',
          tags,
          params: ReportParams,
          response: { 200: ReportDetailView, ...problemResponses },
        },
      },
      (request) => getReportDetail(ctx, request.actor, request.params.reportId),
    );

    app.get(
      '/reports/:reportId/attachments/:attachmentId',
      {
        config: read,
        schema: {
          operationId: 'downloadDisclosureAttachment',
          tags,
          description: 'The file as the researcher sent it, always as an attachment (never rendered).',
          params: AttachmentParams,
          response: { 200: z.any().describe('The file, with its own Content-Type'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const { reportId, attachmentId } = request.params;
        const file = await downloadAttachment(ctx, request.actor, reportId, attachmentId);
        return reply
          .headers(FILE_HEADERS)
          .header('content-type', file.contentType)
          .header('content-disposition', contentDisposition('attachment', file.fileName))
          .send(file.bytes);
      },
    );

    app.post(
      '/reports/:reportId/transition',
      {
        config: manage,
        schema: {
          operationId: 'transitionDisclosureReport',
          tags,
          description: 'Moves the report along its life cycle (see triage.states.ts); 409 when refused.',
          params: ReportParams,
          body: TransitionBody,
          response: { 200: ReportSummaryView, ...problemResponses },
        },
      },
      (request) => transitionReport(ctx, request.actor, request.params.reportId, request.body),
    );

    app.post(
      '/reports/:reportId/first-response',
      {
        config: manage,
        schema: {
          operationId: 'sendDisclosureFirstResponse',
          tags,
          description:
            'The promised first response: an assessment and an expected resolution date, both required.',
          params: ReportParams,
          body: FirstResponseBody,
          response: { 200: ReportSummaryView, ...problemResponses },
        },
      },
      (request) => sendFirstResponse(ctx, request.actor, request.params.reportId, request.body),
    );

    app.post(
      '/reports/:reportId/messages',
      {
        config: manage,
        schema: {
          operationId: 'sendDisclosureMessage',
          tags,
          description: 'A message the researcher sees on the portal and receives by e-mail.',
          params: ReportParams,
          body: MessageBody,
          response: { 201: MessageView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await postToReport(ctx, request.actor, request.params.reportId, 'team', request.body.body)),
    );

    app.post(
      '/reports/:reportId/notes',
      {
        config: manage,
        schema: {
          operationId: 'addDisclosureNote',
          tags,
          description: 'An internal note: the team only, never shown or mailed to the researcher.',
          params: ReportParams,
          body: MessageBody,
          response: { 201: MessageView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await postToReport(ctx, request.actor, request.params.reportId, 'note', request.body.body)),
    );

    app.patch(
      '/reports/:reportId',
      {
        config: manage,
        schema: {
          operationId: 'updateDisclosureReport',
          tags,
          params: ReportParams,
          body: UpdateReportBody,
          response: { 200: ReportSummaryView, ...problemResponses },
        },
      },
      (request) => updateReportFields(ctx, request.actor, request.params.reportId, request.body),
    );

    app.post(
      '/reports/:reportId/erase-reporter',
      {
        config: manage,
        schema: {
          operationId: 'eraseDisclosureReporter',
          tags,
          description: "Erases the reporter's personal data on request; the report itself is kept.",
          params: ReportParams,
          response: { 200: EraseReporterView, ...problemResponses },
        },
      },
      (request) => eraseReporter(ctx, request.actor, request.params.reportId),
    );
  };
}
