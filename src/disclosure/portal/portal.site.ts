import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { Email, Name } from '../../core/http/fields.ts';
import { Problem } from '../../core/http/problem.ts';
import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { contentDisposition, FILE_HEADERS, frameFor, localePath, sendHtml } from '../../trust/index.ts';
import { checkAttachments, type MultipartForm, readMultipart } from '../intake/intake.attachments.ts';
import type { FieldErrors } from '../intake/intake.fields.ts';
import { formFieldError, formOf, valuesOf } from '../intake/intake.forms.ts';
import {
  FORM_WRITE_LIMIT,
  HIDDEN,
  LINK_READ_LIMIT,
  messagePage,
  prepareResearcherSite,
  sendNotFound,
  TOKEN,
} from '../intake/intake.http.ts';
import { CREDIT_PREFERENCES, Handle, WebLink } from '../intake/intake.schemas.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import type { ReportRow } from '../reports/reports.store.ts';
import { portalListPage, portalRequestPage, reportPage } from './portal.pages.ts';
import {
  changeCredit,
  portalAddress,
  portalReport,
  portalReports,
  replyAsResearcher,
  reportByFollowToken,
  requestPortalLink,
  researcherAttachment,
  researcherView,
} from './portal.service.ts';

type Params = { token: string; number?: string; attachmentId?: string };
/** A report opened by a secret link: where its page lives, and the portal's list when there is one. */
type Opened = { report: ReportRow; base: string; path: string; listHref?: string };
type Resolve = (request: FastifyRequest<{ Params: Params }>) => Promise<Opened | undefined>;

const NUMBER = /^[1-9]\d{0,8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PORTAL_REQUEST_LIMIT = { max: 5, timeWindow: 60_000 };

const CreditForm = z.object({
  creditPreference: z.enum(CREDIT_PREFERENCES),
  name: Name.optional(),
  handle: Handle.optional(),
  url: WebLink.optional(),
});

async function readForm(request: FastifyRequest): Promise<MultipartForm> {
  if (request.isMultipart()) return readMultipart(request, 'attachments');
  return { fields: formOf(request.body), files: [], tooMany: false };
}

const blankToUndefined = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.trim() || undefined]));

/**
 * The researcher portal: `/{locale}/security/follow/{token}` opens the one report of a follow token;
 * `/{locale}/security/portal/{token}` (a mailed magic link, valid until it expires) lists the reports
 * of one address, each under `…/reports/{number}`; `/{locale}/security/portal` mails such a link. A
 * link that is unknown, expired, or names a report of someone else answers the same 404 page.
 */
export function portalSiteRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await prepareResearcherSite(app, ctx);
    for (const locale of locales) {
      reportRoutes(app, ctx, locale, `/security/follow/:token`, async (request) => {
        const { token } = request.params;
        if (!TOKEN.test(token)) return undefined;
        const report = await reportByFollowToken(ctx, token);
        const path = `/security/follow/${token}`;
        return report && { report, path, base: localePath(locale, path) };
      });

      reportRoutes(app, ctx, locale, `/security/portal/:token/reports/:number`, async (request) => {
        const { token, number } = request.params;
        if (!TOKEN.test(token) || !number || !NUMBER.test(number)) return undefined;
        const address = await portalAddress(ctx, token);
        const report = address && (await portalReport(ctx, address, Number(number)));
        const path = `/security/portal/${token}/reports/${number}`;
        const listHref = localePath(locale, `/security/portal/${token}`);
        return report ? { report, path, base: localePath(locale, path), listHref } : undefined;
      });

      app.get<{ Params: Params }>(
        localePath(locale, '/security/portal/:token'),
        { ...HIDDEN, config: { rateLimit: LINK_READ_LIMIT } },
        async (request, reply) => {
          const { token } = request.params;
          const address = TOKEN.test(token) ? await portalAddress(ctx, token) : undefined;
          if (!address) return sendNotFound(ctx, reply, locale);
          const [frame, program, reports] = await Promise.all([
            frameFor(ctx, locale),
            getPublishedProgram(ctx),
            portalReports(ctx, address),
          ]);
          const path = `/security/portal/${token}`;
          const page = portalListPage(frame, {
            base: localePath(locale, path),
            path,
            reports,
            timeZone: program.source.timeZone,
          });
          return sendHtml(reply, 200, locale, page);
        },
      );

      app.get(localePath(locale, '/security/portal'), HIDDEN, async (_request, reply) =>
        sendHtml(reply, 200, locale, portalRequestPage(await frameFor(ctx, locale))),
      );

      app.post(
        localePath(locale, '/security/portal'),
        { ...HIDDEN, config: { rateLimit: PORTAL_REQUEST_LIMIT } },
        async (request, reply) => {
          const values = valuesOf((await readForm(request)).fields, 300);
          const frame = await frameFor(ctx, locale);
          const email = Email.safeParse(values.email?.trim());
          if (!email.success) {
            const error = translate(locale, 'vdp-intake:errors.email');
            return sendHtml(reply, 422, locale, portalRequestPage(frame, { email: values.email, error }));
          }
          await requestPortalLink(ctx, request.actor, email.data, locale);
          const page = messagePage(frame, { key: 'portalRequest.sent', path: '/security/portal' });
          return sendHtml(reply, 200, locale, page);
        },
      );
    }
  };
}

/** The report page and its three actions (reply, credit, attachment download) under one kind of link. */
function reportRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  locale: Locale,
  pattern: string,
  resolve: Resolve,
) {
  const show = async (
    reply: FastifyReply,
    opened: Opened,
    status: number,
    extra: { values?: Record<string, string>; errors?: FieldErrors; done?: 'reply' | 'credit' } = {},
  ) => {
    const [frame, view] = await Promise.all([frameFor(ctx, locale), researcherView(ctx, opened.report)]);
    const page = reportPage(frame, view, { ...opened, ...extra });
    return sendHtml(reply, status, locale, page);
  };
  const back = (reply: FastifyReply, opened: Opened, done: 'reply' | 'credit', anchor: string) =>
    reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .redirect(`${opened.base}?done=${done}#${anchor}`, 303);

  app.get<{ Params: Params; Querystring: Record<string, string> }>(
    localePath(locale, pattern),
    { ...HIDDEN, config: { rateLimit: LINK_READ_LIMIT } },
    async (request, reply) => {
      const opened = await resolve(request);
      if (!opened) return sendNotFound(ctx, reply, locale);
      const done = request.query.done;
      return show(reply, opened, 200, { done: done === 'reply' || done === 'credit' ? done : undefined });
    },
  );

  app.post<{ Params: Params }>(
    localePath(locale, `${pattern}/messages`),
    { ...HIDDEN, config: { rateLimit: FORM_WRITE_LIMIT } },
    async (request, reply) => {
      const opened = await resolve(request);
      if (!opened) return sendNotFound(ctx, reply, locale);
      const form = await readForm(request);
      const values = valuesOf(form.fields);
      const errors: FieldErrors = {};
      const text = values.body?.trim() ?? '';
      if (text.length === 0 || text.length > 20_000) {
        errors.body = formFieldError(locale, 'body', text.length === 0);
      }
      let attachments: Awaited<ReturnType<typeof checkAttachments>> = [];
      try {
        attachments = await checkAttachments(form);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        errors.attachments = translate(locale, 'vdp-intake:errors.attachmentsReply', {
          name: error.extra.fileName ?? '',
        });
      }
      if (Object.keys(errors).length > 0) return show(reply, opened, 422, { values, errors });
      await replyAsResearcher(ctx, request.actor, opened.report.id, { body: text, attachments });
      return back(reply, opened, 'reply', 'messages-title');
    },
  );

  app.post<{ Params: Params }>(
    localePath(locale, `${pattern}/credit`),
    { ...HIDDEN, config: { rateLimit: FORM_WRITE_LIMIT } },
    async (request, reply) => {
      const opened = await resolve(request);
      if (!opened) return sendNotFound(ctx, reply, locale);
      const values = valuesOf((await readForm(request)).fields, 1000);
      const parsed = CreditForm.safeParse(blankToUndefined(values));
      const errors: FieldErrors = {};
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? 'creditPreference');
          errors[field] = translate(locale, `vdp-intake:errors.${field}`);
        }
      } else if (parsed.data.creditPreference === 'name' && !parsed.data.name) {
        errors.name = translate(locale, 'vdp-intake:errors.creditName');
      } else if (parsed.data.creditPreference === 'handle' && !parsed.data.handle) {
        errors.handle = translate(locale, 'vdp-intake:errors.creditHandle');
      }
      if (!parsed.success || Object.keys(errors).length > 0)
        return show(reply, opened, 422, { values, errors });
      const saved = await changeCredit(ctx, request.actor, opened.report.id, parsed.data);
      if (!saved) return sendNotFound(ctx, reply, locale);
      return back(reply, opened, 'credit', 'credit-title');
    },
  );

  app.get<{ Params: Params }>(
    localePath(locale, `${pattern}/attachments/:attachmentId`),
    { ...HIDDEN, config: { rateLimit: LINK_READ_LIMIT } },
    async (request, reply) => {
      const { attachmentId = '' } = request.params;
      const opened = UUID.test(attachmentId) ? await resolve(request) : undefined;
      const file = opened && (await researcherAttachment(ctx, opened.report, attachmentId));
      if (!file) return sendNotFound(ctx, reply, locale);
      return reply
        .headers(FILE_HEADERS)
        .header('referrer-policy', 'no-referrer')
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition('attachment', file.fileName))
        .send(file.bytes);
    },
  );
}
