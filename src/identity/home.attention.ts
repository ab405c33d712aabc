import { and, count, gt, isNull } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { invitations, users } from './tables.ts';

/** The team is more than its first owner: another user, or an invitation still open. */
export async function teamInvited(q: Queryable, now: Date): Promise<boolean> {
  const [people] = await q.select({ n: count() }).from(users);
  if (Number(people?.n ?? 0) > 1) return true;
  const [open] = await q
    .select({ n: count() })
    .from(invitations)
    .where(
      and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)),
    );
  return Number(open?.n ?? 0) > 0;
}
