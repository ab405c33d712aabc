import type { FastifyReply } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { randomToken, sha256Hex } from '../core/crypto/index.ts';
import type { Queryable } from '../core/db/index.ts';
import type { RequestOrigin, RoleName, SessionActor } from '../core/http/actor.ts';
import {
  deleteSession,
  findSessionWithUser,
  insertSession,
  markUserSignedIn,
  type SessionRow,
  type UserRow,
  updateSession,
} from './sessions.store.ts';

export const SESSION_COOKIE = 'attest_session';
/** lastSeenAt is written at most this often, so reads don't each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionState = SessionActor['session']['state'];

/**
 * Starts a session: a 256-bit random secret goes to the cookie, only its SHA-256 is stored.
 * `replacing` is deleted in the same step, so each login rotates the cookie.
 * A session that becomes active without replacing an active one completes a sign-in (password
 * alone, a second factor, setup, an accepted invitation, the end of MFA enrolment), so the user's
 * last sign-in is recorded here, once for every path; rotating an active session (a password
 * change) is not a sign-in.
 */
export async function startSession(
  ctx: AppContext,
  q: Queryable,
  input: { userId: string; state: SessionState; origin: RequestOrigin; replacing?: string },
): Promise<{ token: string; session: SessionRow }> {
  const replacedState = input.replacing ? await deleteSession(q, input.replacing) : undefined;
  const token = randomToken(32);
  const session = await insertSession(q, {
    id: sha256Hex(token),
    userId: input.userId,
    state: input.state,
    csrfToken: randomToken(24),
    ip: input.origin.ip,
    userAgent: input.origin.userAgent?.slice(0, 500) ?? null,
    expiresAt: new Date(Date.now() + ctx.config.sessionAbsoluteSeconds * 1000),
  });
  if (input.state === 'active' && replacedState !== 'active') {
    await markUserSignedIn(q, input.userId, session.createdAt);
  }
  return { token, session };
}

/** Finds the live session for a cookie value, enforcing idle and absolute timeouts and disabled users. */
export async function findLiveSession(ctx: AppContext, token: string) {
  const id = sha256Hex(token);
  const found = await findSessionWithUser(ctx.database.db, id);
  if (!found) return undefined;
  const now = Date.now();
  const idleDeadline = found.session.lastSeenAt.getTime() + ctx.config.sessionIdleSeconds * 1000;
  if (found.session.expiresAt.getTime() <= now || idleDeadline <= now || found.user.status !== 'active') {
    await deleteSession(ctx.database.db, id);
    return undefined;
  }
  if (now - found.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await updateSession(ctx.database.db, id, { lastSeenAt: new Date(now) });
  }
  return found;
}

export function toSessionActor(
  session: Pick<SessionRow, 'id' | 'publicId' | 'state' | 'csrfToken' | 'expiresAt'>,
  user: Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'locale'>,
  origin: RequestOrigin,
): SessionActor {
  return {
    type: 'user',
    ...origin,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role as RoleName,
      locale: user.locale as 'en' | 'es' | 'fr',
    },
    session: {
      id: session.id,
      publicId: session.publicId,
      state: session.state as SessionState,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    },
  };
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.secureCookies,
    maxAge: ctx.config.sessionAbsoluteSeconds,
  });
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.secureCookies,
  });
}
