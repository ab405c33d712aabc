import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { forgetCredentials } from './credential-cache.ts';
import { apiTokens, users } from './tables.ts';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(q: Queryable, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [created] = await q.insert(apiTokens).values(row).returning();
  if (!created) throw new Error('token insert returned nothing');
  return created;
}

/** A token with its creator's current role and status (null when the creator row is gone or none). */
export async function findApiTokenWithCreator(q: Queryable, tokenHash: string) {
  const [row] = await q
    .select({ token: apiTokens, creatorRole: users.role, creatorStatus: users.status })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.tokenHash, tokenHash));
  return row;
}

/** A user's tokens still in force (not revoked; expiry is checked at use). */
export async function findLiveApiTokensOf(q: Queryable, userId: string): Promise<ApiTokenRow[]> {
  return q
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.createdBy, userId), isNull(apiTokens.revokedAt)));
}

export async function findApiToken(q: Queryable, id: string): Promise<ApiTokenRow | undefined> {
  const [row] = await q.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

/** Newest first; the cursor is the last row's creation time and id. */
export async function findApiTokens(
  q: Queryable,
  options: { limit: number; before?: Date },
): Promise<ApiTokenRow[]> {
  return q
    .select()
    .from(apiTokens)
    .where(options.before ? lt(apiTokens.createdAt, options.before) : undefined)
    .orderBy(desc(apiTokens.createdAt))
    .limit(options.limit);
}

export async function updateApiToken(q: Queryable, id: string, set: Partial<typeof apiTokens.$inferInsert>) {
  // Anything but the last-use stamp may end or narrow the token: cached grants are read again.
  if (Object.keys(set).some((key) => key !== 'lastUsedAt')) forgetCredentials();
  await q
    .update(apiTokens)
    .set(set)
    .where(and(eq(apiTokens.id, id)));
}
