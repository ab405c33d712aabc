import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { Tx } from '../core/db/index.ts';
import type { Actor, RoleName } from '../core/http/actor.ts';
import { queueMail } from '../core/mail/mail.jobs.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import { findLiveApiTokensOf, updateApiToken } from './api-tokens.store.ts';
import { forgetCredentials } from './credential-cache.ts';
import { mayGrantRole, roleCovers } from './permissions.ts';
import { identityProblems } from './problems.ts';
import { deleteUserSessions } from './sessions.store.ts';
import { countActiveOwners, deleteSecondFactors, findUser, findUsers, updateUser } from './users.store.ts';
import { toUserView } from './views.ts';

export async function listUsers(
  ctx: AppContext,
  query: { q?: string; role?: RoleName; limit: number; cursor?: string },
) {
  const rows = await findUsers(ctx.database.db, {
    search: query.q,
    role: query.role,
    after: query.cursor,
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit).map(toUserView);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.email ?? null) : null };
}

/**
 * Changes a user's role or status. Only owners grant or take away `owner`, the last active owner
 * stays, and the user's sessions end so the new role (and its MFA rule) applies at next sign-in.
 * Their API tokens follow: disabling revokes them; a new role caps them (see tokensFollowAccess).
 */
export async function updateUserAccess(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: { role?: RoleName; status?: 'active' | 'disabled' },
) {
  const view = await ctx.database.db.transaction(async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw identityProblems.userNotFound(userId);
    const touchesOwner = user.role === 'owner' || input.role === 'owner';
    if (touchesOwner && !mayGrantRole(actor, 'owner')) throw identityProblems.roleNotGrantable('owner');
    if (input.role && !mayGrantRole(actor, input.role)) throw identityProblems.roleNotGrantable(input.role);
    const losesOwner =
      user.role === 'owner' &&
      user.status === 'active' &&
      ((input.role && input.role !== 'owner') || input.status === 'disabled');
    if (losesOwner && (await countActiveOwners(tx)) <= 1) throw identityProblems.lastOwner();
    const updated = await updateUser(tx, userId, {
      role: input.role ?? user.role,
      status: input.status ?? user.status,
    });
    if (input.role && input.role !== user.role) {
      await recordAudit(tx, actor, {
        action: 'identity.user.role-changed',
        targetType: 'user',
        targetId: userId,
        details: { from: user.role, to: input.role },
      });
    }
    if (input.status && input.status !== user.status) {
      await recordAudit(tx, actor, {
        action: input.status === 'disabled' ? 'identity.user.disabled' : 'identity.user.enabled',
        targetType: 'user',
        targetId: userId,
      });
    }
    if (updated.role !== user.role || updated.status !== user.status) {
      await deleteUserSessions(tx, userId);
      await tokensFollowAccess(tx, actor, updated);
    }
    return toUserView(updated);
  });
  // Again after commit: a request that read the creator before it committed may have cached the old role.
  forgetCredentials();
  return view;
}

/**
 * A token never does more than its creator may do now. Access is resolved at each request (token
 * role ∩ creator's current role, a disabled creator's token refused), so this only records it:
 * disabling a user revokes their tokens for good (re-enabling does not bring them back); a role
 * change that takes away part of a token's role caps it, audited as `identity.token.capped`.
 */
async function tokensFollowAccess(tx: Tx, actor: Actor, user: { id: string; role: string; status: string }) {
  const tokens = await findLiveApiTokensOf(tx, user.id);
  for (const token of tokens) {
    if (user.status === 'disabled') {
      await updateApiToken(tx, token.id, { revokedAt: new Date() });
      await recordAudit(tx, actor, {
        action: 'identity.token.revoked',
        targetType: 'api-token',
        targetId: token.id,
        details: { name: token.name, reason: 'creator-disabled', creatorId: user.id },
      });
    } else if (!roleCovers(user.role as RoleName, token.role as RoleName)) {
      await recordAudit(tx, actor, {
        action: 'identity.token.capped',
        targetType: 'api-token',
        targetId: token.id,
        details: { name: token.name, role: token.role, creatorRole: user.role, creatorId: user.id },
      });
    }
  }
}

/** Removes every second factor of a user (lost phone); they enrol again at next sign-in. */
export async function resetUserMfa(ctx: AppContext, actor: Actor, userId: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw identityProblems.userNotFound(userId);
    if (user.role === 'owner' && !mayGrantRole(actor, 'owner')) {
      throw identityProblems.roleNotGrantable('owner');
    }
    await deleteSecondFactors(tx, userId);
    await deleteUserSessions(tx, userId);
    await recordAudit(tx, actor, { action: 'identity.mfa.reset', targetType: 'user', targetId: userId });
    const { organizationName } = await getSettings(tx, organizationDefaults(ctx));
    await queueMail(ctx, tx, {
      to: user.email,
      template: 'mfa-changed',
      locale: user.locale as 'en',
      vars: { organizationName, change: 'reset', time: new Date() },
    });
  });
}
