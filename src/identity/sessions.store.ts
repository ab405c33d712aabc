import { and, eq, ne } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { sessions, users } from './tables.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export async function insertSession(q: Queryable, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [created] = await q.insert(sessions).values(row).returning();
  if (!created) throw new Error('session insert returned nothing');
  return created;
}

export async function findSessionWithUser(q: Queryable, id: string) {
  const [row] = await q
    .select()
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  return row ? { session: row.sessions, user: row.users } : undefined;
}

export async function updateSession(q: Queryable, id: string, set: Partial<typeof sessions.$inferInsert>) {
  await q.update(sessions).set(set).where(eq(sessions.id, id));
}

/** Deletes a session and returns the state it was in (undefined when there was none). */
export async function deleteSession(q: Queryable, id: string): Promise<SessionRow['state'] | undefined> {
  const [deleted] = await q.delete(sessions).where(eq(sessions.id, id)).returning({ state: sessions.state });
  return deleted?.state;
}

export async function markUserSignedIn(q: Queryable, userId: string, at: Date) {
  await q.update(users).set({ lastLoginAt: at }).where(eq(users.id, userId));
}

export async function deleteUserSessions(q: Queryable, userId: string, options: { exceptId?: string } = {}) {
  await q
    .delete(sessions)
    .where(
      options.exceptId
        ? and(eq(sessions.userId, userId), ne(sessions.id, options.exceptId))
        : eq(sessions.userId, userId),
    );
}

export async function findUserSessions(q: Queryable, userId: string): Promise<SessionRow[]> {
  return q.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(sessions.createdAt);
}

export async function findSessionByPublicId(q: Queryable, userId: string, publicId: string) {
  const [row] = await q
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId)));
  return row;
}
