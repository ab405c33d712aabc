import { and, asc, count, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { forgetCredentials } from './credential-cache.ts';
import { passkeys, recoveryCodes, users } from './tables.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await q.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function findUser(q: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await q.select().from(users).where(eq(users.id, id));
  return row;
}

export async function insertUser(q: Queryable, row: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await q.insert(users).values(row).returning();
  if (!created) throw new Error('user insert returned nothing');
  return created;
}

export async function updateUser(
  q: Queryable,
  id: string,
  set: Partial<typeof users.$inferInsert>,
): Promise<UserRow> {
  // A creator's role and status bound their tokens: cached grants are read again.
  if ('role' in set || 'status' in set) forgetCredentials();
  const [updated] = await q
    .update(users)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  if (!updated) throw new Error('user update matched nothing');
  return updated;
}

export async function countUsers(q: Queryable): Promise<number> {
  const [row] = await q.select({ n: count() }).from(users);
  return Number(row?.n ?? 0);
}

/**
 * Counts active owners, locking their rows until the transaction ends: two owners demoting each
 * other at once take turns, and the second sees that only one is left.
 */
export async function countActiveOwners(q: Queryable): Promise<number> {
  const rows = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'owner'), eq(users.status, 'active')))
    .for('update');
  return rows.length;
}

/** The columns a user listing shows (views.ts toUserView): never the password hash or MFA secrets. */
const LISTED_COLUMNS = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  status: users.status,
  locale: users.locale,
  totpEnabledAt: users.totpEnabledAt,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
};
export type ListedUserRow = Pick<UserRow, keyof typeof LISTED_COLUMNS>;

/** The first page of the unfiltered listing, the admin app's and API clients' usual read: prepared once per database. */
const firstPages = new WeakMap<object, ReturnType<typeof prepareFirstPage>>();
function prepareFirstPage(q: Queryable) {
  return q
    .select(LISTED_COLUMNS)
    .from(users)
    .orderBy(asc(users.email))
    .limit(sql.placeholder('limit'))
    .prepare('users_first_page');
}

/** Ordered by e-mail; the cursor is the last e-mail seen. */
export async function findUsers(
  q: Queryable,
  options: { search?: string; role?: string; after?: string; limit: number },
): Promise<ListedUserRow[]> {
  if (!options.search && !options.role && !options.after) {
    let prepared = firstPages.get(q);
    if (!prepared) {
      prepared = prepareFirstPage(q);
      firstPages.set(q, prepared);
    }
    return prepared.execute({ limit: options.limit });
  }
  const pattern = options.search ? `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return q
    .select(LISTED_COLUMNS)
    .from(users)
    .where(
      and(
        pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern)) : undefined,
        options.role ? eq(users.role, options.role) : undefined,
        options.after ? gt(users.email, options.after) : undefined,
      ),
    )
    .orderBy(asc(users.email))
    .limit(options.limit);
}

export async function replaceRecoveryCodes(
  q: Queryable,
  userId: string,
  codeHashes: string[],
): Promise<void> {
  await q.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  if (codeHashes.length > 0)
    await q.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
}

/** Marks an unused code used; true when one matched. Atomic, so a code works once even under races. */
export async function consumeRecoveryCode(q: Queryable, userId: string, codeHash: string): Promise<boolean> {
  const used = await q
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return used.length > 0;
}

export async function countUnusedRecoveryCodes(q: Queryable, userId: string): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

export async function countPasskeys(q: Queryable, userId: string): Promise<number> {
  const [row] = await q.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
  return Number(row?.n ?? 0);
}

export async function deleteSecondFactors(q: Queryable, userId: string): Promise<void> {
  await q.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await q.delete(passkeys).where(eq(passkeys.userId, userId));
  await q
    .update(users)
    .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}

/** Active users holding any of these roles, by e-mail (who to notify about something). */
export async function findActiveUsersByRole(q: Queryable, roles: readonly string[]) {
  return q
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(users)
    .where(and(inArray(users.role, [...roles]), eq(users.status, 'active')))
    .orderBy(asc(users.email));
}

/** Who these users are (name, e-mail, role, status), for showing and checking assignees elsewhere. */
export async function findUserSummaries(q: Queryable, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return q
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, status: users.status })
    .from(users)
    .where(inArray(users.id, [...ids]));
}
