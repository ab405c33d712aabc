import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import { randomToken, sha256Hex } from '../core/crypto/index.ts';
import type { Queryable } from '../core/db/index.ts';
import type { Actor, RequestOrigin, RoleName } from '../core/http/actor.ts';
import { queueMail } from '../core/mail/mail.jobs.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import { hashPassword } from './passwords.ts';
import { mayGrantRole, requiresMfa } from './permissions.ts';
import { identityProblems } from './problems.ts';
import { startSession, toSessionActor } from './sessions.service.ts';
import { invitations } from './tables.ts';
import { findUserByEmail, insertUser } from './users.store.ts';

const INVITATION_TTL_DAYS = 7;
type InvitationRow = typeof invitations.$inferSelect;

function statusOf(row: InvitationRow, now = new Date()) {
  if (row.acceptedAt) return 'accepted' as const;
  if (row.revokedAt) return 'revoked' as const;
  if (row.expiresAt <= now) return 'expired' as const;
  return 'pending' as const;
}

export function toInvitationView(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role as RoleName,
    status: statusOf(row),
    invitedBy: row.invitedBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** Invites someone by e-mail; the link in the mail is the only copy of the token. */
export async function inviteUser(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; role: RoleName; locale?: 'en' | 'es' | 'fr' },
) {
  if (actor.type === 'system' || !mayGrantRole(actor, input.role))
    throw identityProblems.roleNotGrantable(input.role);
  const token = randomToken(32);
  return ctx.database.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) throw identityProblems.emailTaken(input.email);
    const settings = await getSettings(tx, organizationDefaults(ctx));
    const locale = input.locale ?? settings.defaultLocale;
    const [row] = await tx
      .insert(invitations)
      .values({
        email: input.email,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedBy: actor.type === 'user' ? actor.user.id : null,
        locale,
        expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
      })
      .returning();
    if (!row) throw new Error('invitation insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'identity.invitation.created',
      targetType: 'invitation',
      targetId: row.id,
      details: { email: row.email, role: row.role },
    });
    await queueMail(ctx, tx, {
      to: row.email,
      template: 'invitation',
      locale,
      vars: {
        organizationName: settings.organizationName,
        inviterName: actor.type === 'user' ? actor.user.name : settings.organizationName,
        role: row.role as RoleName,
        link: `${ctx.config.publicUrl}/app/invite?token=${token}`,
        expiresAt: row.expiresAt,
      },
    });
    return toInvitationView(row);
  });
}

export async function listInvitations(ctx: AppContext, query: { limit: number; cursor?: string }) {
  const before = query.cursor ? new Date(query.cursor) : undefined;
  const rows = await ctx.database.db
    .select()
    .from(invitations)
    .where(before && !Number.isNaN(before.getTime()) ? lt(invitations.createdAt, before) : undefined)
    .orderBy(desc(invitations.createdAt))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(toInvitationView);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.createdAt ?? null) : null };
}

export async function revokeInvitation(ctx: AppContext, actor: Actor, invitationId: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const [row] = await tx.select().from(invitations).where(eq(invitations.id, invitationId));
    if (!row) throw identityProblems.invitationNotFound();
    if (statusOf(row) !== 'pending') return;
    await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, invitationId));
    await recordAudit(tx, actor, {
      action: 'identity.invitation.revoked',
      targetType: 'invitation',
      targetId: invitationId,
    });
  });
}

async function findPendingInvitation(q: Queryable, token: string): Promise<InvitationRow> {
  const [row] = await q
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tokenHash, sha256Hex(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    );
  if (!row) throw identityProblems.invitationNotFound();
  return row;
}

export async function lookupInvitation(ctx: AppContext, token: string) {
  const row = await findPendingInvitation(ctx.database.db, token);
  const { organizationName } = await getSettings(ctx.database.db, organizationDefaults(ctx));
  return { email: row.email, role: row.role as RoleName, organizationName };
}

/** Creates the invited user and signs them in; staff roles must then enrol TOTP before anything else. */
export async function acceptInvitation(
  ctx: AppContext,
  input: { token: string; name: string; password: string },
  origin: RequestOrigin,
) {
  const passwordHash = await hashPassword(input.password);
  return ctx.database.db.transaction(async (tx) => {
    const row = await findPendingInvitation(tx, input.token);
    if (await findUserByEmail(tx, row.email)) throw identityProblems.emailTaken(row.email);
    // Spend it only if still pending: of several accepts racing with one link, the others find it used.
    const spent = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, row.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (spent.length === 0) throw identityProblems.invitationNotFound();
    const user = await insertUser(tx, {
      email: row.email,
      name: input.name,
      role: row.role,
      passwordHash,
      locale: row.locale,
    });
    const state = requiresMfa(row.role as RoleName)
      ? ('mfa_enrolment_required' as const)
      : ('active' as const);
    const started = await startSession(ctx, tx, { userId: user.id, state, origin });
    await recordAudit(tx, toSessionActor(started.session, user, origin), {
      action: 'identity.invitation.accepted',
      targetType: 'user',
      targetId: user.id,
      details: { invitationId: row.id, role: row.role },
    });
    return { token: started.token, state };
  });
}
