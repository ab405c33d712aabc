import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/index.ts';
import { randomToken, sha256Hex } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { visitorUrl } from '../access/access-mail.ts';
import { loadAccessSettings } from '../access/visitors.service.ts';
import {
  confirmByTokenHash,
  deleteByUnsubscribeHash,
  deleteSubscriber,
  findByUnsubscribeHash,
  findSubscriber,
  findSubscribers,
  insertSubscriber,
  refreshUnconfirmed,
  type SubscriptionTopic,
} from './subscriptions.store.ts';

/** A confirmation link works for a week. */
const CONFIRM_TTL_MS = 7 * 86_400_000;
/** An unconfirmed address gets at most one confirmation e-mail per 10 minutes, whatever is submitted. */
const RESEND_AFTER_MS = 10 * 60_000;

/**
 * The unsubscribe secret of a subscriber: HMAC-SHA-256 of its id under a key derived (HKDF) from the
 * data-encryption key. Every notice can carry a working link while the database keeps only its SHA-256.
 * After a key rotation the next notice stores the new token's hash (see notifySubscribers' job).
 */
export function unsubscribeTokenFor(keyring: Keyring, subscriberId: string): string {
  const macKey = Buffer.from(
    hkdfSync('sha256', keyring.current.key, 'attest', 'trust.subscriptions.unsubscribe', 32),
  );
  return createHmac('sha256', macKey).update(subscriberId).digest('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Starts a double opt-in: stores the address unconfirmed and e-mails a confirmation link in `locale`.
 * Answers the same whatever the address's state (no enumeration); a confirmed subscriber is left as is.
 */
export async function subscribe(
  ctx: AppContext,
  input: { email: string; locale: Locale; topics: SubscriptionTopic[]; cause: Actor },
): Promise<void> {
  const db = ctx.database.db;
  const settings = await loadAccessSettings(ctx, db);
  const topics = [...new Set(input.topics)].sort();
  await db.transaction(async (tx) => {
    const existing = await findSubscriber(tx, input.email, input.locale);
    if (existing?.confirmedAt) return;
    if (existing && Date.now() - existing.createdAt.getTime() < RESEND_AFTER_MS) return;
    const confirmToken = randomToken(32);
    if (existing) {
      await refreshUnconfirmed(tx, existing.id, { topics, confirmTokenHash: sha256Hex(confirmToken) });
    } else {
      const id = randomUUID();
      const created = await insertSubscriber(tx, {
        id,
        email: input.email,
        locale: input.locale,
        topics,
        confirmTokenHash: sha256Hex(confirmToken),
        unsubscribeTokenHash: sha256Hex(unsubscribeTokenFor(ctx.keyring, id)),
      });
      if (!created) return;
    }
    await queueMail(ctx, tx, {
      to: input.email,
      template: 'trust-subscription-confirm',
      locale: input.locale,
      cause: input.cause,
      vars: {
        organizationName: settings.companyName,
        link: visitorUrl(ctx, input.locale, `/subscriptions/confirm/${confirmToken}`),
      },
    });
  });
}

/** Confirms by link; false (nothing changed) for an unknown, used or week-old link. */
export async function confirmSubscription(ctx: AppContext, token: string): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  const now = new Date();
  const row = await confirmByTokenHash(
    ctx.database.db,
    sha256Hex(token),
    new Date(now.getTime() - CONFIRM_TTL_MS),
    now,
  );
  return row !== undefined;
}

/** Whether an unsubscribe link belongs to a current subscriber (the page then offers the button). */
export async function isUnsubscribeTokenLive(ctx: AppContext, token: string): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  return (await findByUnsubscribeHash(ctx.database.db, sha256Hex(token))) !== undefined;
}

/** Deletes the subscriber the link belongs to (we keep nothing about them); false when already gone. */
export async function unsubscribe(ctx: AppContext, token: string): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  return (await deleteByUnsubscribeHash(ctx.database.db, sha256Hex(token))) !== undefined;
}

export type SubscriberView = {
  id: string;
  email: string;
  locale: string;
  topics: string[];
  confirmed: boolean;
  createdAt: string;
};

export async function listSubscribers(q: Queryable, page: { limit: number; offset: number }) {
  const rows = await findSubscribers(q, page);
  const items: SubscriberView[] = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    email: row.email,
    locale: row.locale,
    topics: row.topics,
    confirmed: row.confirmedAt !== null,
    createdAt: row.createdAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > page.limit ? String(page.offset + page.limit) : null };
}

export async function removeSubscriber(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const row = await deleteSubscriber(tx, id);
    if (!row) throw problems.notFound(`Subscriber ${id}`);
    await recordAudit(tx, actor, {
      action: 'trust.subscriber.deleted',
      targetType: 'trust-subscriber',
      targetId: id,
      details: { locale: row.locale },
    });
  });
}
