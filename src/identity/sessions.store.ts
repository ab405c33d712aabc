import { and, eq, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { sessions, users } from './tables.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export async function insertSession(q: Queryable, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [created] = await q.insert(sessions).values(row).returning();
  if (!created) throw new Error('session insert returned nothing');
  return created;
}

/**
 * The columns a request's session check reads (sessions.service toSessionActor and the expiry checks):
 * never the password hash or MFA secrets, which every admin-app request used to load.
 */
const SESSION_COLUMNS = {
  id: sessions.id,
  publicId: sessions.publicId,
  state: sessions.state,
  csrfToken: sessions.csrfToken,
  expiresAt: sessions.expiresAt,
  lastSeenAt: sessions.lastSeenAt,
};
const SESSION_USER_COLUMNS = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  locale: users.locale,
  status: users.status,
};
export type LiveSessionRow = Pick<SessionRow, keyof typeof SESSION_COLUMNS>;
export type SessionUserRow = Pick<UserRow, keyof typeof SESSION_USER_COLUMNS>;

/** Every signed-in request of the admin app runs this: prepared once per database. */
const sessionLookups = new WeakMap<object, ReturnType<typeof prepareSessionLookup>>();
function prepareSessionLookup(q: Queryable) {
  return q
    .select({ session: SESSION_COLUMNS, user: SESSION_USER_COLUMNS })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('session_with_user');
}

export async function findSessionWithUser(
  q: Queryable,
  id: string,
): Promise<{ session: LiveSessionRow; user: SessionUserRow } | undefined> {
  let prepared = sessionLookups.get(q);
  if (!prepared) {
    prepared = prepareSessionLookup(q);
    sessionLookups.set(q, prepared);
  }
  const [row] = await prepared.execute({ id });
  return row;
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
