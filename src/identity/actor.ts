import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { sha256Hex } from '../core/crypto/index.ts';
import type { Actor, RequestOrigin, RoleName, TokenActor } from '../core/http/actor.ts';
import { cookiesOf } from '../core/http/cookies.ts';
import { findApiTokenWithCreator, updateApiToken } from './api-tokens.store.ts';
import { cachedCredential, readCredential } from './credential-cache.ts';
import { findLiveSession, SESSION_COOKIE, toSessionActor } from './sessions.service.ts';

export const API_TOKEN_PREFIX = 'attest_';
const TOUCH_INTERVAL_MS = 60_000;

export function originOf(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null };
}

/**
 * Who is calling: `Authorization: Bearer attest_…` (API token) wins over the session cookie.
 * Bad, expired or revoked credentials resolve to anonymous; the guard then answers 401.
 */
type TokenGrant = { token: TokenActor['token']; expiresAt: number };

/** The token's grant as the database says now, or null when it grants nothing (revoked, creator gone). */
async function readTokenGrant(ctx: AppContext, tokenHash: string, now: number): Promise<TokenGrant | null> {
  const found = await findApiTokenWithCreator(ctx.database.db, tokenHash);
  const row = found?.token;
  if (!row || row.revokedAt) return null;
  // A token never outlives its creator's access: a creator who is gone or disabled ends it, and
  // the creator's role now (not when minting) bounds it (see rolesOf).
  const creatorRole = row.mintedBySystem ? null : (found.creatorRole as RoleName | null);
  if (!row.mintedBySystem && (!creatorRole || found.creatorStatus !== 'active')) return null;
  if (
    row.expiresAt.getTime() > now &&
    (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS)
  ) {
    await updateApiToken(ctx.database.db, row.id, { lastUsedAt: new Date(now) });
  }
  return {
    expiresAt: row.expiresAt.getTime(),
    token: {
      id: row.id,
      name: row.name,
      role: row.role as RoleName,
      creatorRole,
      creatorId: row.mintedBySystem ? null : row.createdBy,
    },
  };
}

/**
 * Who is calling: `Authorization: Bearer attest_…` (API token) wins over the session cookie.
 * Bad, expired or revoked credentials resolve to anonymous; the guard then answers 401. A request
 * with neither resolves at once, without a promise (every public page). A valid token's grant is
 * kept for a few seconds (credential-cache.ts says how revocation still takes effect).
 */
export function createActorResolver(ctx: AppContext) {
  const resolveToken = async (token: string, origin: RequestOrigin): Promise<Actor> => {
    const tokenHash = sha256Hex(token);
    const now = Date.now();
    const grant =
      cachedCredential<TokenGrant>(tokenHash, now) ??
      (await readCredential(tokenHash, now, () => readTokenGrant(ctx, tokenHash, now)));
    if (!grant || grant.expiresAt <= now) return { type: 'anonymous', ...origin };
    return { type: 'token', ...origin, token: grant.token };
  };
  const resolveSession = async (cookie: string, origin: RequestOrigin): Promise<Actor> => {
    const found = await findLiveSession(ctx, cookie);
    if (found) return toSessionActor(found.session, found.user, origin);
    return { type: 'anonymous', ...origin };
  };
  return (request: FastifyRequest): Actor | Promise<Actor> => {
    const origin = originOf(request);
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && /^bearer /i.test(authorization)) {
      const token = authorization.slice(7).trim();
      if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return { type: 'anonymous', ...origin };
      return resolveToken(token, origin);
    }
    const cookie = request.headers.cookie === undefined ? undefined : cookiesOf(request)[SESSION_COOKIE];
    if (cookie && cookie.length <= 200) return resolveSession(cookie, origin);
    return { type: 'anonymous', ...origin };
  };
}
