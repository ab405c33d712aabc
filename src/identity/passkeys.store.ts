import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { passkeys, sessions } from './tables.ts';

export type PasskeyRow = typeof passkeys.$inferSelect;

export async function findUserPasskeys(q: Queryable, userId: string): Promise<PasskeyRow[]> {
  return q
    .select()
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

/** Scoped to the owner: another user's passkey is simply not found. */
export async function findUserPasskey(
  q: Queryable,
  userId: string,
  passkeyId: string,
): Promise<PasskeyRow | undefined> {
  const [row] = await q
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.userId, userId), eq(passkeys.id, passkeyId)));
  return row;
}

export async function findUserPasskeyByCredentialId(
  q: Queryable,
  userId: string,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  const [row] = await q
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.userId, userId), eq(passkeys.credentialId, credentialId)));
  return row;
}

/** Inserts a passkey; `undefined` when its credential id is already registered (to anyone). */
export async function insertPasskey(
  q: Queryable,
  row: typeof passkeys.$inferInsert,
): Promise<PasskeyRow | undefined> {
  const [created] = await q
    .insert(passkeys)
    .values(row)
    .onConflictDoNothing({ target: passkeys.credentialId })
    .returning();
  return created;
}

export async function deleteUserPasskey(q: Queryable, userId: string, passkeyId: string): Promise<void> {
  await q.delete(passkeys).where(and(eq(passkeys.userId, userId), eq(passkeys.id, passkeyId)));
}

/**
 * Stores the counter of an accepted assertion. Compare-and-set on the previous counter, so two
 * assertions racing from the same stored value cannot both be accepted; false when this one lost.
 */
export async function recordPasskeyUse(
  q: Queryable,
  passkeyId: string,
  counters: { previous: number; next: number },
): Promise<boolean> {
  const updated = await q
    .update(passkeys)
    .set({ counter: counters.next, lastUsedAt: new Date() })
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.counter, counters.previous)))
    .returning({ id: passkeys.id });
  return updated.length > 0;
}

export async function setSessionChallenge(q: Queryable, sessionId: string, challenge: string): Promise<void> {
  await q.update(sessions).set({ challenge }).where(eq(sessions.id, sessionId));
}

/**
 * Reads and clears the session's pending challenge in one step (compare-and-set on the value read),
 * so a challenge is handed out to at most one verification even when requests race.
 */
export async function takeSessionChallenge(q: Queryable, sessionId: string): Promise<string | undefined> {
  const [row] = await q
    .select({ challenge: sessions.challenge })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), isNotNull(sessions.challenge)));
  if (!row?.challenge) return undefined;
  const cleared = await q
    .update(sessions)
    .set({ challenge: null })
    .where(and(eq(sessions.id, sessionId), eq(sessions.challenge, row.challenge)))
    .returning({ id: sessions.id });
  return cleared.length > 0 ? row.challenge : undefined;
}
