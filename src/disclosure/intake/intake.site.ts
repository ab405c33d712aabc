import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { sha256Hex } from '../../core/crypto/index.ts';
import { Problem } from '../../core/http/problem.ts';
import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { frameFor, localePath, sendHtml } from '../../trust/index.ts';
import type { PublishedProgram } from '../program/program.schema.ts';
import { findPublishedProgram, getPublishedProgram } from '../program/program.service.ts';
import { PROGRAM_PATHS } from '../program/program.urls.ts';
import { followUrl } from '../reports/report-links.ts';
import { type IncomingAttachment, isOutOfScope } from '../reports/reports.service.ts';
import { findReportByFollowHash } from '../reports/reports.store.ts';
import {
  checkAttachments,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type MultipartForm,
  readMultipart,
} from './intake.attachments.ts';
import type { FieldErrors } from './intake.fields.ts';
import { checkReportForm, formOf, valuesOf } from './intake.forms.ts';
import {
  FORM_WRITE_LIMIT,
  HIDDEN,
  LINK_READ_LIMIT,
  prepareResearcherSite,
  sendNotFound,
  sendPublicHtml,
  TOKEN,
} from './intake.http.ts';
import { type OutOfScopeNotice, receivedPage, reportFormPage } from './intake.pages.ts';
import { localized, submitReport } from './intake.service.ts';

/** The received page's address: under the follow token, which is the only key to the report. */
const receivedPath = (token: string) => `${PROGRAM_PATHS.reportForm}/received/${token}`;

/** A browser form: multipart with files, or url-encoded without. */
async function readForm(request: FastifyRequest): Promise<MultipartForm> {
  if (request.isMultipart()) return readMultipart(request, 'attachments');
  return { fields: formOf(request.body), files: [], tooMany: false };
}

/** The files as attachments, or the sentence that says what is wrong with them. */
async function formAttachments(
  locale: Locale,
  form: MultipartForm,
): Promise<{ attachments: IncomingAttachment[] } | { error: string }> {
  try {
    return { attachments: await checkAttachments(form) };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    const vars = {
      count: MAX_ATTACHMENTS,
      megabytes: MAX_ATTACHMENT_BYTES / 1024 / 1024,
      name: error.extra.fileName,
    };
    const key =
      error.code === 'disclosure-too-many-attachments'
        ? 'attachmentsTooMany'
        : error.code === 'disclosure-attachment-too-large'
          ? 'attachmentsTooLarge'
          : 'attachmentsType';
    return { error: translate(locale, `vdp-intake:errors.${key}`, vars) };
  }
}

/** What makes the report out of scope, named for the reporter, or undefined when it is in scope. */
function outOfScopeNotice(
  program: PublishedProgram,
  locale: Locale,
  asset: string | undefined,
  category: string | undefined,
): OutOfScopeNotice | undefined {
  if (!isOutOfScope(program.source, asset, category)) return undefined;
  const excluded = program.source.outOfScopeCategories.find((c) => c.key === category);
  const excludedAsset = program.source.assets.find((a) => !a.inScope && a.identifier === asset);
  return {
    category: excluded
      ? (localized(excluded.label, locale, program.source.defaultLocale) ?? excluded.key)
      : undefined,
    asset: excludedAsset?.identifier,
  };
}

/**
 * The report form at `/{locale}/security/report` (GET shows it, POST sends it) and the page a sent
 * report lands on (`…/report/received/{followToken}`, reached by a 303 so a reload never sends twice).
 */
export function intakeSiteRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await prepareResearcherSite(app, ctx);
    for (const locale of locales) {
      const formPath = localePath(locale, PROGRAM_PATHS.reportForm);

      app.get(formPath, { ...HIDDEN, config: { rateLimit: LINK_READ_LIMIT } }, async (_request, reply) => {
        const [frame, program] = await Promise.all([frameFor(ctx, locale), findPublishedProgram(ctx)]);
        // No program is public before the first publish: no form that would promise what nobody said.
        if (!program) return reply.callNotFound();
        return sendPublicHtml(reply, locale, reportFormPage(frame, program));
      });

      app.post(formPath, { ...HIDDEN, config: { rateLimit: FORM_WRITE_LIMIT } }, async (request, reply) => {
        const [frame, program] = await Promise.all([frameFor(ctx, locale), findPublishedProgram(ctx)]);
        if (!program) return reply.callNotFound();
        const form = await readForm(request);
        const values = valuesOf(form.fields);
        const again = (status: number, errors: FieldErrors, outOfScope?: OutOfScopeNotice) =>
          sendHtml(
            reply,
            status,
            locale,
            reportFormPage(frame, program, {
              values,
              errors,
              outOfScope,
              filesDropped: form.files.length > 0,
            }),
          );

        const checked = checkReportForm(locale, values);
        const files = await formAttachments(locale, form);
        if (!checked.ok || 'error' in files) {
          const errors = checked.ok ? {} : checked.errors;
          if ('error' in files) errors.attachments = files.error;
          return again(422, errors);
        }
        const body = checked.body;
        const notice = outOfScopeNotice(program, locale, body.asset, body.category);
        if (notice && values.confirmOutOfScope !== 'yes') return again(200, {}, notice);

        try {
          const created = await submitReport(
            ctx,
            request.actor,
            { ...body, locale, attachments: files.attachments },
            'web',
          );
          return reply
            .header('cache-control', 'no-store')
            .header('referrer-policy', 'no-referrer')
            .redirect(localePath(locale, receivedPath(created.followToken)), 303);
        } catch (error) {
          if (!(error instanceof Problem)) throw error;
          if (error.status === 429) {
            const retry = error.extra.retryAfterSeconds;
            if (typeof retry === 'number') reply.header('retry-after', String(retry));
            return again(429, { email: translate(locale, 'vdp-intake:errors.tooManyFromAddress') });
          }
          if (error.status === 422) return again(422, { form: translate(locale, 'vdp-intake:errors.form') });
          throw error;
        }
      });

      app.get<{ Params: { token: string } }>(
        localePath(locale, receivedPath(':token')),
        { ...HIDDEN, config: { rateLimit: LINK_READ_LIMIT } },
        async (request, reply) => {
          const { token } = request.params;
          const report = TOKEN.test(token)
            ? await findReportByFollowHash(ctx.database.db, sha256Hex(token))
            : undefined;
          if (!report) return sendNotFound(ctx, reply, locale);
          const [frame, program] = await Promise.all([frameFor(ctx, locale), getPublishedProgram(ctx)]);
          return sendHtml(
            reply,
            200,
            locale,
            receivedPage(frame, {
              path: receivedPath(token),
              number: report.number,
              dueBy: report.responseDueAt,
              timeZone: program.source.timeZone,
              followUrl: followUrl(ctx, locale, token),
              emailed: report.reporterEmailHash !== null,
            }),
          );
        },
      );
    }
  };
}
