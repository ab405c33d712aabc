import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import { randomToken, sha256Hex } from '../core/crypto/index.ts';
import { type Actor, describeActor, type RoleName } from '../core/http/actor.ts';
import { API_TOKEN_PREFIX } from './actor.ts';
import {
  type ApiTokenRow,
  findApiToken,
  findApiTokens,
  insertApiToken,
  updateApiToken,
} from './api-tokens.store.ts';
import { forgetCredentials } from './credential-cache.ts';
import { mayGrantRole } from './permissions.ts';
import { identityProblems } from './problems.ts';

export function toApiTokenView(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role as RoleName,
    prefix: row.prefix,
    createdBy: row.createdByLabel,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Creates an API token scoped to one role. The token (`attest_` + 256 random bits) is returned
 * once; only its SHA-256 is stored. A caller can't mint a role above its own; the CLI (system) can.
 * The token's creator is the human behind the caller (a token minting a token passes its own
 * creator on), whose current access bounds it at every request; only the CLI mints unbounded ones.
 */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; role: RoleName; expiresInDays: number },
) {
  if (!mayGrantRole(actor, input.role)) throw identityProblems.roleNotGrantable(input.role);
  const creatorId =
    actor.type === 'user' ? actor.user.id : actor.type === 'token' ? actor.token.creatorId : null;
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  return ctx.database.db.transaction(async (tx) => {
    const row = await insertApiToken(tx, {
      name: input.name,
      role: input.role,
      prefix: token.slice(0, 12),
      tokenHash: sha256Hex(token),
      createdBy: creatorId,
      mintedBySystem: creatorId === null,
      createdByLabel: describeActor(actor).actorLabel ?? 'system',
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
    });
    await recordAudit(tx, actor, {
      action: 'identity.token.created',
      targetType: 'api-token',
      targetId: row.id,
      details: { name: row.name, role: row.role, expiresAt: row.expiresAt.toISOString() },
    });
    return { ...toApiTokenView(row), token };
  });
}

export async function listApiTokens(ctx: AppContext, query: { limit: number; cursor?: string }) {
  const before = query.cursor ? new Date(query.cursor) : undefined;
  const rows = await findApiTokens(ctx.database.db, {
    limit: query.limit + 1,
    before: before && !Number.isNaN(before.getTime()) ? before : undefined,
  });
  const items = rows.slice(0, query.limit).map(toApiTokenView);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.createdAt ?? null) : null };
}

export async function revokeApiToken(ctx: AppContext, actor: Actor, tokenId: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const row = await findApiToken(tx, tokenId);
    if (!row) throw identityProblems.tokenNotFound(tokenId);
    if (row.revokedAt) return;
    await updateApiToken(tx, tokenId, { revokedAt: new Date() });
    await recordAudit(tx, actor, {
      action: 'identity.token.revoked',
      targetType: 'api-token',
      targetId: tokenId,
      details: { name: row.name },
    });
  });
  // Again after commit: a request that read the row before it committed may have cached it meanwhile.
  forgetCredentials();
}
