import type { FastifyInstance, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../crypto/index.ts';
import { type Actor, type RoleName, rolesOf } from './actor.ts';
import { problems } from './problem.ts';

export type GuardOptions = {
  /** Works out who is calling from the cookie or the bearer token; never throws for bad credentials. */
  resolveActor(request: FastifyRequest): Actor | Promise<Actor>;
  isPermission(value: string): boolean;
  can(role: RoleName, permission: string): boolean;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Fail closed: every /api/v1 route must declare `config.permission` or `config.public`, or the server
 * refuses to start. Each request is then checked before validation or handler code runs:
 * anonymous → 401, lacking the permission → 403, cookie write without the CSRF token → 403.
 */
export function registerGuard(app: FastifyInstance, options: GuardOptions): void {
  // Declared up front so every request object keeps one shape; the hook below always sets it.
  const declare = app.decorateRequest as (name: string, value: null) => void;
  declare.call(app, 'actor', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const config = route.config ?? {};
    if (config.permission !== undefined && !options.isPermission(config.permission)) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} names unknown permission ${config.permission}`,
      );
    }
    if (config.public || config.allowPendingMfa || config.permission) return;
    throw new Error(
      `Route ${String(route.method)} ${route.url} declares neither config.permission nor config.public`,
    );
  });

  const check = (request: FastifyRequest): void => {
    // Fastify builds and freezes a new routeOptions object on every read: read it once.
    const route = request.routeOptions;
    const config = route.config ?? {};
    if (config.public || !route.url?.startsWith('/api/v1/')) return;
    const actor = request.actor;
    if (actor.type !== 'user' && actor.type !== 'token') throw problems.unauthenticated();
    if (actor.type === 'user' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !constantTimeEqual(sent, actor.session.csrfToken))
        throw problems.csrf();
    }
    if (config.sessionOnly && actor.type !== 'user') throw problems.forbidden('a signed-in session');
    const roles = rolesOf(actor);
    if (roles.length === 0 && !config.allowPendingMfa) throw problems.mfaRequired();
    if (!config.permission) return;
    // A pending sign-in is held to its user's role too: allowPendingMfa never skips a declared permission.
    // A token needs the permission in its own role and in its creator's current role.
    const held = roles.length > 0 ? roles : actor.type === 'user' ? [actor.user.role] : [];
    const permission = config.permission;
    if (held.length === 0 || !held.every((role) => options.can(role, permission)))
      throw problems.forbidden(permission);
  };

  // preParsing, not onRequest: @fastify/rate-limit's per-route onRequest hook must count a request
  // (and refuse a flood) before any credential lookup, and Fastify runs app-wide onRequest hooks first.
  // Callback style: a request without credentials (every public page) resolves without a promise.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const finish = (actor: Actor) => {
      request.actor = actor;
      try {
        check(request);
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, payload);
    };
    const resolved = options.resolveActor(request);
    if (resolved instanceof Promise) resolved.then(finish, (error: Error) => done(error));
    else finish(resolved);
  });
}
