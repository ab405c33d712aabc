import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { randomToken, sha256Hex } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import { trustVisitors, trustVisitorTokens } from '../tables.ts';

/** One-time links by e-mail (confirmation, sign-in) last a day. */
export const EMAIL_LINK_TTL_MS = 24 * 60 * 60 * 1000;

export type VisitorRow = typeof trustVisitors.$inferSelect;
export type VisitorTokenPurpose = 'confirm' | 'magic-link' | 'access';
export type VisitorTokenRow = typeof trustVisitorTokens.$inferSelect;

export async function findVisitor(q: Queryable, id: string): Promise<VisitorRow | undefined> {
  const [row] = await q.select().from(trustVisitors).where(eq(trustVisitors.id, id));
  return row;
}

export async function findVisitorByEmail(q: Queryable, email: string): Promise<VisitorRow | undefined> {
  const [row] = await q.select().from(trustVisitors).where(eq(trustVisitors.email, email));
  return row;
}

/**
 * Creates the visitor, or refreshes an unverified one. A verified visitor keeps the name and company they
 * confirmed: anyone can type someone else's address into the form, and that must not rename them.
 */
export async function upsertVisitor(
  q: Queryable,
  input: { email: string; name: string; company: string; locale: string },
): Promise<VisitorRow> {
  const [row] = await q
    .insert(trustVisitors)
    .values(input)
    .onConflictDoUpdate({
      target: trustVisitors.email,
      set: {
        name: sql`case when ${trustVisitors.emailVerifiedAt} is null then excluded.name else ${trustVisitors.name} end`,
        company: sql`case when ${trustVisitors.emailVerifiedAt} is null then excluded.company else ${trustVisitors.company} end`,
        locale: sql`case when ${trustVisitors.emailVerifiedAt} is null then excluded.locale else ${trustVisitors.locale} end`,
      },
    })
    .returning();
  if (!row) throw new Error('visitor upsert returned nothing');
  return row;
}

export async function markVisitorVerified(q: Queryable, id: string, at: Date): Promise<void> {
  await q
    .update(trustVisitors)
    .set({
      emailVerifiedAt: sql`coalesce(${trustVisitors.emailVerifiedAt}, ${at.toISOString()}::timestamptz)`,
    })
    .where(eq(trustVisitors.id, id));
}

export async function updateVisitorLocale(q: Queryable, id: string, locale: string): Promise<void> {
  await q.update(trustVisitors).set({ locale }).where(eq(trustVisitors.id, id));
}

/**
 * Stores a new token for a visitor and returns the secret itself (256 random bits, base64url). Only
 * its SHA-256 is kept, so a database reader can't use a link.
 */
export async function issueVisitorToken(
  q: Queryable,
  input: { visitorId: string; purpose: VisitorTokenPurpose; expiresAt: Date; requestId?: string },
): Promise<string> {
  const token = randomToken(32);
  await q.insert(trustVisitorTokens).values({
    tokenHash: sha256Hex(token),
    visitorId: input.visitorId,
    purpose: input.purpose,
    requestId: input.requestId ?? null,
    expiresAt: input.expiresAt,
  });
  return token;
}

// Tokens arrive from URLs; anything not shaped like ours is refused before a lookup.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/** The unused, unexpired token with this secret and purpose, without using it up. */
export async function findLiveVisitorToken(
  q: Queryable,
  token: string,
  purpose: VisitorTokenPurpose,
  now: Date,
): Promise<VisitorTokenRow | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await q
    .select()
    .from(trustVisitorTokens)
    .where(
      and(
        eq(trustVisitorTokens.tokenHash, sha256Hex(token)),
        eq(trustVisitorTokens.purpose, purpose),
        isNull(trustVisitorTokens.usedAt),
        gt(trustVisitorTokens.expiresAt, now),
      ),
    );
  return row;
}

/**
 * Uses up a one-time token: one conditional UPDATE, so two concurrent clicks can't both succeed.
 * Returns the row, or undefined when the token is unknown, expired, already used or of another purpose.
 */
export async function consumeVisitorToken(
  q: Queryable,
  token: string,
  purpose: VisitorTokenPurpose,
  now: Date,
): Promise<VisitorTokenRow | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await q
    .update(trustVisitorTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(trustVisitorTokens.tokenHash, sha256Hex(token)),
        eq(trustVisitorTokens.purpose, purpose),
        isNull(trustVisitorTokens.usedAt),
        gt(trustVisitorTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

/** Tokens of this purpose issued to the visitor since `since`: the per-address limit on e-mailed links. */
export async function countVisitorTokensSince(
  q: Queryable,
  visitorId: string,
  purpose: VisitorTokenPurpose,
  since: Date,
): Promise<number> {
  const [row] = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(trustVisitorTokens)
    .where(
      and(
        eq(trustVisitorTokens.visitorId, visitorId),
        eq(trustVisitorTokens.purpose, purpose),
        gt(trustVisitorTokens.createdAt, since),
      ),
    );
  return row?.n ?? 0;
}
