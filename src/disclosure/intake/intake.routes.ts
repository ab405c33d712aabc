import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.ts';
import { ProblemView, problemResponses } from '../../core/http/fields.ts';
import { problems } from '../../core/http/problem.ts';
import { negotiateLocale } from '../../core/i18n/index.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import {
  ACCEPTED_KINDS_TEXT,
  checkAttachments,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type MultipartForm,
  readMultipart,
} from './intake.attachments.ts';
import { CreatedReportView, IntakeOptionsQuery, IntakeOptionsView, ReportBody } from './intake.schemas.ts';
import { intakeOptions, MAX_REPORTS_PER_EMAIL_PER_HOUR, submitReport } from './intake.service.ts';

const tags = ['disclosure: intake'];
/** Per client address: a researcher sends a few reports, not a stream of them. */
export const API_REPORT_LIMIT = { max: 5, timeWindow: 60_000 };
/** The JSON of a multipart submission: the same object as the JSON body, so 256 KiB is plenty. */
const REPORT_PART_BYTES = 256 * 1024;

/** Files read from a multipart submission, kept until the handler (validation runs in between). */
const uploads = new WeakMap<FastifyRequest, MultipartForm>();

/**
 * A multipart submission carries the report as JSON in a part named `report` and its files in parts
 * named `attachments`. The JSON becomes the body before validation, so both forms meet the same schema.
 */
async function readMultipartReport(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const form = await readMultipart(request, 'attachments');
  uploads.set(request, form);
  const raw = form.fields.report;
  if (typeof raw !== 'string') {
    throw problems.malformedBody('Send the report as JSON in one multipart part named "report".');
  }
  try {
    request.body = JSON.parse(raw);
  } catch (error) {
    throw problems.malformedBody(`The "report" part is not valid JSON: ${(error as Error).message}`);
  }
}

/** The public intake API: submit a report (JSON or multipart with files), and what to fill it with. */
export function intakeRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    await plugin.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: {
        fileSize: MAX_ATTACHMENT_BYTES,
        fields: 2,
        fieldSize: REPORT_PART_BYTES,
        parts: 30,
        headerPairs: 50,
      },
    });
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/reports',
      {
        config: { public: true, rateLimit: API_REPORT_LIMIT },
        preValidation: readMultipartReport,
        schema: {
          operationId: 'submitDisclosureReport',
          tags,
          description: `Reports a vulnerability. Send this object as JSON, or as multipart/form-data with the object as JSON in a part named \`report\` and up to ${MAX_ATTACHMENTS} files in parts named \`attachments\` (at most ${MAX_ATTACHMENT_BYTES} bytes each; ${ACCEPTED_KINDS_TEXT}, recognised by their content). The report is stored before the answer; \`followUrl\` is the reporter's private page and is shown only once. At most ${API_REPORT_LIMIT.max} submissions a minute per client address and ${MAX_REPORTS_PER_EMAIL_PER_HOUR} an hour per reporter e-mail (429).`,
          consumes: ['application/json', 'multipart/form-data'],
          body: ReportBody,
          response: { 201: CreatedReportView, 413: ProblemView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const form = uploads.get(request);
        const attachments = form ? await checkAttachments(form) : [];
        const locale =
          request.body.locale ??
          negotiateLocale(
            request.headers['accept-language'],
            (await getPublishedProgram(ctx)).source.defaultLocale,
          );
        const created = await submitReport(
          ctx,
          request.actor,
          { ...request.body, locale, attachments },
          'api',
        );
        return reply.status(201).send({
          id: created.report.id,
          number: created.report.number,
          responseDueBy: created.responseDueBy.toISOString(),
          followUrl: created.followUrl,
          outOfScope: created.report.outOfScope,
        });
      },
    );

    app.get(
      '/reports/intake-options',
      {
        config: { public: true },
        schema: {
          operationId: 'getDisclosureIntakeOptions',
          tags,
          description:
            'What a report may name: the assets (in scope or not), categories with their out-of-scope flag, the current policy version to accept, and the attachment limits.',
          querystring: IntakeOptionsQuery,
          response: { 200: IntakeOptionsView, ...problemResponses },
        },
      },
      async (request) => {
        const locale =
          request.query.locale ??
          negotiateLocale(
            request.headers['accept-language'],
            (await getPublishedProgram(ctx)).source.defaultLocale,
          );
        return intakeOptions(ctx, locale);
      },
    );
  };
}
