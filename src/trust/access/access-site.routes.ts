import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { getPublishedSite } from '../publication/publication.service.ts';
import { localePath } from '../site/layout.ts';
import { pick } from '../site/localize.ts';
import {
  ALL_DOCUMENTS,
  confirmAccessRequest,
  requestableDocuments,
  submitAccessRequest,
} from './access-requests.service.ts';
import {
  fieldErrors,
  formOf,
  RequestForm,
  registerFormParser,
  SignInForm,
  valuesOf,
} from './access-site.forms.ts';
import { frameFor, registerHtmlErrors, sendHtml, sendInvalidLink } from './access-site.http.ts';
import { messagePage } from './access-site.pages.ts';
import { personalRoutes } from './access-site.personal.ts';
import { subscriptionSiteRoutes } from './access-site.subscriptions.ts';
import { continuePage, requestFormPage, signInFormPage } from './access-site.views.ts';
import { exchangeMagicLink, isMagicLinkLive, requestMagicLink } from './visitors.service.ts';

// Public pages are not API operations: they stay out of the OpenAPI document.
const hidden = { hide: true };
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Per client address: public writes are few and slow, link pages a little more generous. */
const WRITE_LIMIT = { max: 10, timeWindow: 60_000 };
const LINK_LIMIT = { max: 30, timeWindow: 60_000 };

/**
 * The visitor side of access: request forms, e-mail confirmation, sign-in links, the personal documents
 * page and NDA click-through, and subscriptions. Cookie-free HTML that works without JavaScript.
 */
export function accessSitePlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    registerFormParser(app);
    registerHtmlErrors(app, ctx);
    // No visitor page sets a cookie, whatever another part of the app might try.
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.removeHeader('set-cookie');
      return payload;
    });
    for (const locale of locales) {
      await app.register(requestRoutes(ctx, locale));
      await app.register(personalRoutes(ctx, locale));
      await app.register(subscriptionSiteRoutes(ctx, locale));
    }
  };
}

/** A document of the published site that needs a request (or an NDA), with its title in `locale`. */
async function findRequestable(ctx: AppContext, locale: Locale, slug: string) {
  if (slug.length > 100 || !SLUG.test(slug)) return undefined;
  const site = await getPublishedSite(ctx);
  if (!site) return undefined;
  const documents = await requestableDocuments(ctx, slug);
  const titleOf = (doc: (typeof documents)[number]) =>
    pick(doc.title, locale, site.profile.defaultLocale)?.text ?? doc.slug;
  if (slug === ALL_DOCUMENTS) {
    if (documents.length === 0) return undefined;
    return {
      slug,
      title: translate(locale, 'trust-access:request.allDocuments'),
      nda: documents.some((doc) => doc.accessLevel === 'nda'),
      documentTitles: documents.map(titleOf),
    };
  }
  const [document] = documents;
  if (!document) return undefined;
  return { slug, title: titleOf(document), nda: document.accessLevel === 'nda' };
}

function requestRoutes(ctx: AppContext, locale: Locale): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { slug: string } }>(
      `/${locale}/documents/:slug/request`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        const document = await findRequestable(ctx, locale, request.params.slug);
        if (!document) return sendInvalidLink(ctx, reply, locale);
        const frame = await frameFor(ctx, locale);
        return sendHtml(
          reply,
          200,
          locale,
          requestFormPage(frame, { ...document, documentTitle: document.title }),
        );
      },
    );

    app.post<{ Params: { slug: string } }>(
      `/${locale}/documents/:slug/request`,
      { schema: hidden, config: { rateLimit: WRITE_LIMIT } },
      async (request, reply) => {
        const document = await findRequestable(ctx, locale, request.params.slug);
        if (!document) return sendInvalidLink(ctx, reply, locale);
        const frame = await frameFor(ctx, locale);
        const form = formOf(request.body);
        const parsed = RequestForm.safeParse(form);
        if (!parsed.success) {
          const errors = fieldErrors(locale, parsed.error, ['name', 'email', 'company', 'reason']);
          const page = requestFormPage(frame, {
            ...document,
            documentTitle: document.title,
            values: valuesOf(form),
            errors,
          });
          return sendHtml(reply, 422, locale, page);
        }
        const fields = parsed.data as { name: string; email: string; company: string; reason: string };
        const result = await submitAccessRequest(ctx, request.actor, {
          ...fields,
          locale,
          documentSlug: document.slug,
        });
        if (result === 'rate-limited') {
          return sendHtml(reply, 429, locale, messagePage(frame, { key: 'tooManyForAddress' }));
        }
        return sendHtml(
          reply,
          200,
          locale,
          messagePage(frame, { key: 'requestSent', vars: { email: fields.email } }),
        );
      },
    );

    app.get<{ Params: { token: string } }>(
      `/${locale}/access/confirm/:token`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        const outcome = await confirmAccessRequest(ctx, request.actor, request.params.token);
        if (!outcome) return sendInvalidLink(ctx, reply, locale);
        const frame = await frameFor(ctx, locale);
        const home = {
          href: localePath(locale, '/'),
          label: translate(locale, 'trust-access:invalidLink.home'),
        };
        return sendHtml(
          reply,
          200,
          locale,
          messagePage(frame, { key: `confirmed.${outcome}`, links: [home] }),
        );
      },
    );

    app.get(`/${locale}/access`, { schema: hidden }, async (_request, reply) =>
      sendHtml(reply, 200, locale, signInFormPage(await frameFor(ctx, locale))),
    );

    app.post(
      `/${locale}/access`,
      { schema: hidden, config: { rateLimit: WRITE_LIMIT } },
      async (request, reply) => {
        const frame = await frameFor(ctx, locale);
        const form = formOf(request.body);
        const parsed = SignInForm.safeParse(form);
        if (!parsed.success) {
          const error = translate(locale, 'trust-access:errors.email');
          return sendHtml(reply, 422, locale, signInFormPage(frame, { email: valuesOf(form).email, error }));
        }
        await requestMagicLink(ctx, request.actor, { email: parsed.data.email as string, locale });
        return sendHtml(reply, 200, locale, messagePage(frame, { key: 'signInSent' }));
      },
    );

    app.get<{ Params: { token: string } }>(
      `/${locale}/access/login/:token`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        if (!(await isMagicLinkLive(ctx, request.params.token))) return sendInvalidLink(ctx, reply, locale);
        return sendHtml(reply, 200, locale, continuePage(await frameFor(ctx, locale), request.params.token));
      },
    );

    app.post<{ Params: { token: string } }>(
      `/${locale}/access/login/:token`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        const accessToken = await exchangeMagicLink(ctx, request.actor, request.params.token);
        if (!accessToken) return sendInvalidLink(ctx, reply, locale);
        return reply
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .redirect(localePath(locale, `/access/${accessToken}`), 303);
      },
    );
  };
}
