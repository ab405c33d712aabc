import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { sha256Hex } from '../core/crypto/index.ts';
import type { Actor, RequestOrigin, RoleName } from '../core/http/actor.ts';
import { findApiTokenWithCreator, updateApiToken } from './api-tokens.store.ts';
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
export function createActorResolver(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<Actor> => {
    const origin = originOf(request);
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && /^bearer /i.test(authorization)) {
      const token = authorization.slice(7).trim();
      if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return { type: 'anonymous', ...origin };
      const found = await findApiTokenWithCreator(ctx.database.db, sha256Hex(token));
      const now = Date.now();
      const row = found?.token;
      if (!row || row.revokedAt || row.expiresAt.getTime() <= now) return { type: 'anonymous', ...origin };
      // A token never outlives its creator's access: a creator who is gone or disabled ends it, and
      // the creator's role now (not when minting) bounds it (see rolesOf).
      const creatorRole = row.mintedBySystem ? null : (found.creatorRole as RoleName | null);
      if (!row.mintedBySystem && (!creatorRole || found.creatorStatus !== 'active'))
        return { type: 'anonymous', ...origin };
      if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
        await updateApiToken(ctx.database.db, row.id, { lastUsedAt: new Date(now) });
      }
      return {
        type: 'token',
        ...origin,
        token: {
          id: row.id,
          name: row.name,
          role: row.role as RoleName,
          creatorRole,
          creatorId: row.mintedBySystem ? null : row.createdBy,
        },
      };
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie && cookie.length <= 200) {
      const found = await findLiveSession(ctx, cookie);
      if (found) return toSessionActor(found.session, found.user, origin);
    }
    return { type: 'anonymous', ...origin };
  };
}
