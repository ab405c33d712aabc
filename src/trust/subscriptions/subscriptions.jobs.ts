import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { sha256Hex } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import { isLocale } from '../../core/i18n/index.ts';
import type { JobDefinition } from '../../core/jobs/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { visitorUrl } from '../access/access-mail.ts';
import { loadAccessSettings } from '../access/visitors.service.ts';
import { unsubscribeTokenFor } from './subscriptions.service.ts';
import { findConfirmedSubscribers, setUnsubscribeHash } from './subscriptions.store.ts';

export const SUBSCRIBERS_NOTIFY_JOB = 'trust.subscribers-notify';

/** What changed, as SITE announces it on publish. `effectiveOn` is a calendar date (YYYY-MM-DD). */
export const SubscriptionChangeSet = z.strictObject({
  topic: z.enum(['subprocessors', 'updates']),
  changes: z
    .array(
      z.strictObject({
        kind: z.enum([
          'subprocessor-added',
          'subprocessor-removed',
          'subprocessor-changed',
          'update-published',
        ]),
        /** The subprocessor's or the update's name, as subscribers should read it (already in one language). */
        name: z.string().min(1).max(300),
        /** Per-locale names, when the admin wrote them per locale (update titles). */
        names: z.partialRecord(z.enum(['en', 'es', 'fr']), z.string().min(1).max(300)).optional(),
        effectiveOn: z.iso.date().optional(),
      }),
    )
    .min(1)
    .max(200),
});
export type SubscriptionChangeSet = z.infer<typeof SubscriptionChangeSet>;

const TOPIC_PAGES = { subprocessors: '/subprocessors', updates: '/updates' } as const;

/**
 * Sends one notice per confirmed subscriber to the topic, in the subscriber's language, listing every
 * change of the set (a publish's changes arrive batched in one notice). All mail jobs are queued in one
 * transaction: a retry after a failure never sends a notice twice.
 */
export function subscribersNotifyJob(ctx: AppContext): JobDefinition<typeof SubscriptionChangeSet> {
  return {
    name: SUBSCRIBERS_NOTIFY_JOB,
    payload: SubscriptionChangeSet,
    retryLimit: 5,
    handle: async (set) => {
      const db = ctx.database.db;
      const settings = await loadAccessSettings(ctx, db);
      await db.transaction(async (tx) => {
        for (const subscriber of await findConfirmedSubscribers(tx, set.topic)) {
          const locale = isLocale(subscriber.locale) ? subscriber.locale : settings.defaultLocale;
          const token = unsubscribeTokenFor(ctx.keyring, subscriber.id);
          if (sha256Hex(token) !== subscriber.unsubscribeTokenHash) {
            await setUnsubscribeHash(tx, subscriber.id, sha256Hex(token));
          }
          const unsubscribeLink = visitorUrl(ctx, locale, `/subscriptions/unsubscribe/${token}`);
          await queueMail(ctx, tx, {
            to: subscriber.email,
            template: 'trust-subscription-notice',
            locale,
            vars: {
              organizationName: settings.companyName,
              changes: set.changes.map((change) => ({
                kind: change.kind,
                name: change.names?.[locale] ?? change.name,
                effectiveOn: change.effectiveOn ? new Date(`${change.effectiveOn}T00:00:00Z`) : undefined,
              })),
              link: visitorUrl(ctx, locale, TOPIC_PAGES[set.topic]),
              unsubscribeLink,
            },
            // RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this URL.
            headers: {
              'List-Unsubscribe': `<${unsubscribeLink}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
          });
        }
      });
    },
  };
}

export function subscriptionJobs(ctx: AppContext): JobDefinition<z.ZodType>[] {
  return [subscribersNotifyJob(ctx) as unknown as JobDefinition<z.ZodType>];
}

/**
 * Announces a change to the subscribers of its topic, in the background (job `trust.subscribers-notify`).
 * SITE calls it when a publish adds/removes/changes subprocessors (with their effective date) or publishes
 * updates; pass the publish's transaction as `tx` so the notice leaves only if the publish commits.
 * Throws a ZodError for a malformed change set.
 */
export async function notifySubscribers(
  ctx: AppContext,
  change: SubscriptionChangeSet,
  options: { tx?: Queryable } = {},
): Promise<void> {
  await ctx.jobs.send(subscribersNotifyJob(ctx), change, { tx: options.tx });
}
