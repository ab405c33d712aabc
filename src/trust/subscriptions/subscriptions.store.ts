import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import { trustSubscribers } from '../tables.ts';

export type SubscriberRow = typeof trustSubscribers.$inferSelect;
export type SubscriptionTopic = 'subprocessors' | 'updates';

export async function findSubscriber(
  q: Queryable,
  email: string,
  locale: string,
): Promise<SubscriberRow | undefined> {
  const [row] = await q
    .select()
    .from(trustSubscribers)
    .where(and(eq(trustSubscribers.email, email), eq(trustSubscribers.locale, locale)));
  return row;
}

/** A new, unconfirmed subscriber; the id is chosen here because the unsubscribe token derives from it. */
export async function insertSubscriber(
  q: Queryable,
  row: {
    id?: string;
    email: string;
    locale: string;
    topics: string[];
    confirmTokenHash: string;
    unsubscribeTokenHash: string;
  },
): Promise<SubscriberRow | undefined> {
  const [created] = await q
    .insert(trustSubscribers)
    .values({ id: row.id ?? randomUUID(), ...row })
    .onConflictDoNothing()
    .returning();
  return created;
}

/** Re-arms an unconfirmed subscription: new topics and confirmation link, its clock restarted. */
export async function refreshUnconfirmed(
  q: Queryable,
  id: string,
  set: { topics: string[]; confirmTokenHash: string },
): Promise<void> {
  await q
    .update(trustSubscribers)
    .set({ ...set, createdAt: new Date() })
    .where(and(eq(trustSubscribers.id, id), isNull(trustSubscribers.confirmedAt)));
}

/** Confirms the subscription whose link this is, if unconfirmed and created after `since`. */
export async function confirmByTokenHash(q: Queryable, tokenHash: string, since: Date, now: Date) {
  const [row] = await q
    .update(trustSubscribers)
    .set({ confirmedAt: now, confirmTokenHash: null })
    .where(
      and(
        eq(trustSubscribers.confirmTokenHash, tokenHash),
        isNull(trustSubscribers.confirmedAt),
        gt(trustSubscribers.createdAt, since),
      ),
    )
    .returning();
  return row;
}

export async function findByUnsubscribeHash(
  q: Queryable,
  tokenHash: string,
): Promise<SubscriberRow | undefined> {
  const [row] = await q
    .select()
    .from(trustSubscribers)
    .where(eq(trustSubscribers.unsubscribeTokenHash, tokenHash));
  return row;
}

export async function deleteByUnsubscribeHash(
  q: Queryable,
  tokenHash: string,
): Promise<SubscriberRow | undefined> {
  const [row] = await q
    .delete(trustSubscribers)
    .where(eq(trustSubscribers.unsubscribeTokenHash, tokenHash))
    .returning();
  return row;
}

export async function deleteSubscriber(q: Queryable, id: string): Promise<SubscriberRow | undefined> {
  const [row] = await q.delete(trustSubscribers).where(eq(trustSubscribers.id, id)).returning();
  return row;
}

export async function setUnsubscribeHash(q: Queryable, id: string, tokenHash: string): Promise<void> {
  await q
    .update(trustSubscribers)
    .set({ unsubscribeTokenHash: tokenHash })
    .where(eq(trustSubscribers.id, id));
}

/** Confirmed subscribers to `topic`, by locale and id. */
export async function findConfirmedSubscribers(
  q: Queryable,
  topic: SubscriptionTopic,
): Promise<SubscriberRow[]> {
  return q
    .select()
    .from(trustSubscribers)
    .where(
      and(
        isNotNull(trustSubscribers.confirmedAt),
        sql`${trustSubscribers.topics} @> ${JSON.stringify([topic])}::jsonb`,
      ),
    )
    .orderBy(asc(trustSubscribers.locale), asc(trustSubscribers.id));
}

export async function findSubscribers(q: Queryable, page: { limit: number; offset: number }) {
  return q
    .select()
    .from(trustSubscribers)
    .orderBy(asc(trustSubscribers.email), asc(trustSubscribers.locale))
    .limit(page.limit + 1)
    .offset(page.offset);
}
