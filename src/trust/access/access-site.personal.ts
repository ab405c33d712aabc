import type { FastifyPluginAsync } from 'fastify';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { type Actor, asVisitor } from '../../core/http/actor.ts';
import { type Locale, translate } from '../../core/i18n/index.ts';
import { recordTrustEvent } from '../events.ts';
import { acceptNda } from '../nda/nda.acceptance.ts';
import { findNdaForLocale } from '../nda/nda.service.ts';
import { getPublishedSite } from '../publication/publication.service.ts';
import { localePath } from '../site/layout.ts';
import { pick, todayUtc } from '../site/localize.ts';
import { fieldErrors, formOf, NdaForm, valuesOf } from './access-site.forms.ts';
import { frameFor, sendHtml, sendInvalidLink } from './access-site.http.ts';
import { messagePage } from './access-site.pages.ts';
import { documentsPage, type ListedDocument, ndaPage } from './access-site.views.ts';
import { findVisitorAccess, grantCovers, isNdaSatisfied, type VisitorAccess } from './grants.service.ts';

const hidden = { hide: true };
const PAGE_LIMIT = { max: 60, timeWindow: 60_000 };
const WRITE_LIMIT = { max: 10, timeWindow: 60_000 };

/**
 * The published gated documents the visitor's grants cover and that are offered today, each marked
 * downloadable unless it is under NDA and no NDA is in place.
 */
async function listGranted(
  ctx: AppContext,
  access: VisitorAccess,
  locale: Locale,
): Promise<(ListedDocument & { id: string })[]> {
  const site = await getPublishedSite(ctx);
  if (!site) return [];
  const today = todayUtc();
  const ndaInPlace = await isNdaSatisfied(ctx.database.db, access.visitor);
  return site.documents
    .filter((doc): doc is typeof doc & { accessLevel: 'request' | 'nda' } => doc.accessLevel !== 'public')
    .filter(
      (doc) => (!doc.validFrom || doc.validFrom <= today) && (!doc.validUntil || doc.validUntil >= today),
    )
    .filter((doc) => access.grants.some((grant) => grantCovers(grant, doc.id, doc.accessLevel)))
    .map((doc) => {
      const title = pick(doc.title, locale, site.profile.defaultLocale);
      return {
        id: doc.id,
        slug: doc.slug,
        title: title?.text ?? doc.slug,
        titleLang: title?.lang ?? locale,
        level: doc.accessLevel,
        downloadable: doc.accessLevel === 'request' || ndaInPlace,
      };
    });
}

/** A look at the personal page counts as a view of each document listed on it (analytics and audit). */
async function recordViews(
  ctx: AppContext,
  actor: Actor,
  access: VisitorAccess,
  documentIds: string[],
  locale: Locale,
) {
  const { visitor } = access;
  await ctx.database.db.transaction(async (tx) => {
    for (const documentId of documentIds) {
      await recordTrustEvent(tx, {
        type: 'viewed',
        visitorId: visitor.id,
        company: visitor.company,
        documentId,
        locale,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
    }
    await recordAudit(tx, asVisitor(actor, visitor.id), {
      action: 'trust.access-page.viewed',
      targetType: 'trust-visitor',
      targetId: visitor.id,
      details: { documentIds },
    });
  });
}

/** The visitor's own pages, reached only through their access token: documents, and the NDA. */
export function personalRoutes(ctx: AppContext, locale: Locale): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { accessToken: string } }>(
      `/${locale}/access/:accessToken`,
      { schema: hidden, config: { rateLimit: PAGE_LIMIT } },
      async (request, reply) => {
        const access = await findVisitorAccess(ctx.database.db, request.params.accessToken, new Date());
        if (!access) return sendInvalidLink(ctx, reply, locale);
        const documents = await listGranted(ctx, access, locale);
        await recordViews(
          ctx,
          request.actor,
          access,
          documents.map((doc) => doc.id),
          locale,
        );
        const page = documentsPage(await frameFor(ctx, locale), {
          accessToken: request.params.accessToken,
          name: access.visitor.name,
          company: access.visitor.company,
          expiresAt: access.expiresAt,
          documents,
        });
        return sendHtml(reply, 200, locale, page);
      },
    );

    const showNda = async (
      accessToken: string,
      options: { status: number; fullName?: string; errors?: Record<string, string>; stale?: boolean },
    ) => {
      const frame = await frameFor(ctx, locale);
      const template = await findNdaForLocale(ctx.database.db, locale, frame.defaultLocale);
      const back = {
        href: localePath(locale, `/access/${accessToken}`),
        label: translate(locale, 'trust-access:nda.back'),
      };
      if (!template)
        return { status: 200, html: messagePage(frame, { key: 'ndaUnavailable', links: [back] }) };
      return { status: options.status, html: ndaPage(frame, { accessToken, template, ...options }) };
    };

    app.get<{ Params: { accessToken: string } }>(
      `/${locale}/access/:accessToken/nda`,
      { schema: hidden, config: { rateLimit: PAGE_LIMIT } },
      async (request, reply) => {
        const { accessToken } = request.params;
        const access = await findVisitorAccess(ctx.database.db, accessToken, new Date());
        if (!access) return sendInvalidLink(ctx, reply, locale);
        if (await isNdaSatisfied(ctx.database.db, access.visitor)) {
          const frame = await frameFor(ctx, locale);
          const back = {
            href: localePath(locale, `/access/${accessToken}`),
            label: translate(locale, 'trust-access:nda.back'),
          };
          return sendHtml(reply, 200, locale, messagePage(frame, { key: 'ndaInPlace', links: [back] }));
        }
        const shown = await showNda(accessToken, { status: 200 });
        return sendHtml(reply, shown.status, locale, shown.html);
      },
    );

    app.post<{ Params: { accessToken: string } }>(
      `/${locale}/access/:accessToken/nda`,
      { schema: hidden, config: { rateLimit: WRITE_LIMIT } },
      async (request, reply) => {
        const { accessToken } = request.params;
        const access = await findVisitorAccess(ctx.database.db, accessToken, new Date());
        if (!access) return sendInvalidLink(ctx, reply, locale);
        const form = formOf(request.body);
        const parsed = NdaForm.safeParse(form);
        if (!parsed.success) {
          const errors = fieldErrors(locale, parsed.error, ['fullName', 'agree']) as Record<string, string>;
          const shown = await showNda(accessToken, {
            status: 422,
            fullName: valuesOf(form).fullName,
            errors,
          });
          return sendHtml(reply, shown.status, locale, shown.html);
        }
        const data = parsed.data as { templateId: string; sha256: string; fullName: string };
        const outcome = await acceptNda(ctx, request.actor, {
          accessToken,
          locale,
          templateId: data.templateId,
          shownSha256: data.sha256,
          fullName: data.fullName,
        });
        if (outcome === 'not-found') return sendInvalidLink(ctx, reply, locale);
        if (outcome === 'stale') {
          const shown = await showNda(accessToken, { status: 409, fullName: data.fullName, stale: true });
          return sendHtml(reply, shown.status, locale, shown.html);
        }
        return reply
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .redirect(localePath(locale, `/access/${accessToken}`), 303);
      },
    );
  };
}
