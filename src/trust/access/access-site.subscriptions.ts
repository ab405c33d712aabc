import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { type Locale, translate } from '../../core/i18n/index.ts';
import { localePath } from '../site/layout.ts';
import {
  confirmSubscription,
  isUnsubscribeTokenLive,
  subscribe,
  unsubscribe,
} from '../subscriptions/subscriptions.service.ts';
import type { SubscriptionTopic } from '../subscriptions/subscriptions.store.ts';
import { fieldErrors, formOf, SubscribeForm, valuesOf } from './access-site.forms.ts';
import { frameFor, sendHtml } from './access-site.http.ts';
import { messagePage } from './access-site.pages.ts';
import { subscribeFormPage, unsubscribePage } from './access-site.views.ts';

const hidden = { hide: true };
const WRITE_LIMIT = { max: 10, timeWindow: 60_000 };
const LINK_LIMIT = { max: 30, timeWindow: 60_000 };

/** Double opt-in subscriptions to subprocessor changes and security updates, per language. */
export function subscriptionSiteRoutes(ctx: AppContext, locale: Locale): FastifyPluginAsync {
  return async (app) => {
    const home = () => ({
      href: localePath(locale, '/'),
      label: translate(locale, 'trust-access:invalidLink.home'),
    });

    app.get(`/${locale}/subscriptions`, { schema: hidden }, async (_request, reply) =>
      sendHtml(reply, 200, locale, subscribeFormPage(await frameFor(ctx, locale))),
    );

    app.post(
      `/${locale}/subscriptions`,
      { schema: hidden, config: { rateLimit: WRITE_LIMIT } },
      async (request, reply) => {
        const frame = await frameFor(ctx, locale);
        const form = formOf(request.body);
        const parsed = SubscribeForm.safeParse(form);
        if (!parsed.success) {
          const errors = fieldErrors(locale, parsed.error, ['email', 'topics']);
          const topics = [form.topics ?? []].flat();
          return sendHtml(
            reply,
            422,
            locale,
            subscribeFormPage(frame, { email: valuesOf(form).email, topics, errors }),
          );
        }
        const data = parsed.data as { email: string; topics: SubscriptionTopic[] };
        await subscribe(ctx, { email: data.email, locale, topics: data.topics, cause: request.actor });
        return sendHtml(
          reply,
          200,
          locale,
          messagePage(frame, { key: 'subscribeSent', vars: { email: data.email } }),
        );
      },
    );

    app.get<{ Params: { token: string } }>(
      `/${locale}/subscriptions/confirm/:token`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        const frame = await frameFor(ctx, locale);
        if (!(await confirmSubscription(ctx, request.params.token))) {
          return sendHtml(
            reply,
            404,
            locale,
            messagePage(frame, { key: 'subscriptionLinkInvalid', links: [home()] }),
          );
        }
        return sendHtml(reply, 200, locale, messagePage(frame, { key: 'subscribed', links: [home()] }));
      },
    );

    app.get<{ Params: { token: string } }>(
      `/${locale}/subscriptions/unsubscribe/:token`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        const frame = await frameFor(ctx, locale);
        if (!(await isUnsubscribeTokenLive(ctx, request.params.token))) {
          return sendHtml(
            reply,
            404,
            locale,
            messagePage(frame, { key: 'unsubscribeGone', links: [home()] }),
          );
        }
        return sendHtml(reply, 200, locale, unsubscribePage(frame, request.params.token));
      },
    );

    // The button on that page, and RFC 8058 one-click unsubscribes from mail clients, POST here.
    app.post<{ Params: { token: string } }>(
      `/${locale}/subscriptions/unsubscribe/:token`,
      { schema: hidden, config: { rateLimit: LINK_LIMIT } },
      async (request, reply) => {
        const frame = await frameFor(ctx, locale);
        if (!(await unsubscribe(ctx, request.params.token))) {
          return sendHtml(
            reply,
            404,
            locale,
            messagePage(frame, { key: 'unsubscribeGone', links: [home()] }),
          );
        }
        return sendHtml(reply, 200, locale, messagePage(frame, { key: 'unsubscribed', links: [home()] }));
      },
    );
  };
}
