export type RoleName = 'owner' | 'admin' | 'security' | 'compliance' | 'employee' | 'auditor';

export type RequestOrigin = { ip: string; userAgent: string | null };

export type SessionActor = RequestOrigin & {
  type: 'user';
  user: { id: string; email: string; name: string; role: RoleName; locale: 'en' | 'es' | 'fr' };
  session: {
    id: string;
    publicId: string;
    state: 'active' | 'mfa_required' | 'mfa_enrolment_required';
    csrfToken: string;
    expiresAt: Date;
  };
};

export type TokenActor = RequestOrigin & {
  type: 'token';
  token: {
    id: string;
    name: string;
    /** The role the token was minted with. */
    role: RoleName;
    /**
     * The creator's role now, read at each request: the token may do only what both roles allow.
     * Null for a token Attest minted itself (`attest token create`), which has no human creator.
     */
    creatorRole: RoleName | null;
    /** The user whose access bounds the token; null when minted by Attest itself. */
    creatorId: string | null;
  };
};

export type AnonymousActor = RequestOrigin & { type: 'anonymous' };

/**
 * A public-site visitor who proved their e-mail address (a trust-center access link): not signed in,
 * holds no role, but is someone — the audit log names them by id (never by name or e-mail, which the
 * append-only log could not erase later).
 */
export type VisitorActor = RequestOrigin & { type: 'visitor'; visitorId: string };

/** Attest itself: the CLI on the server, a background job. */
export type SystemActor = RequestOrigin & { type: 'system'; label: string };

/** Who is calling: a signed-in user, an API token, nobody, or Attest itself. Set by identity on every request. */
export type Actor = SessionActor | TokenActor | AnonymousActor | VisitorActor | SystemActor;

/** The same request, attributed to the identified visitor behind it. */
export function asVisitor(actor: Actor, visitorId: string): VisitorActor {
  return { type: 'visitor', visitorId, ip: actor.ip, userAgent: actor.userAgent };
}

/**
 * The one role an actor acts in. A token bounded by a creator with another role has no single role
 * (see rolesOf) and gets none here, so a caller deciding from one role refuses it.
 */
export function roleOf(actor: Actor): RoleName | undefined {
  if (actor.type === 'user') return actor.session.state === 'active' ? actor.user.role : undefined;
  if (actor.type === 'token') {
    const { role, creatorRole } = actor.token;
    return creatorRole === null || creatorRole === role ? role : undefined;
  }
  return undefined;
}

/**
 * Every role whose permission the actor needs at once: a token holds what its own role and its
 * creator's current role both hold (the intersection). Empty for anyone without a usable role.
 */
export function rolesOf(actor: Actor): RoleName[] {
  if (actor.type === 'token') {
    const { role, creatorRole } = actor.token;
    return creatorRole === null || creatorRole === role ? [role] : [role, creatorRole];
  }
  const role = roleOf(actor);
  return role ? [role] : [];
}

/** How the actor is named in the audit log. */
export function describeActor(actor: Actor): {
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
} {
  if (actor.type === 'user')
    return { actorType: 'user', actorId: actor.user.id, actorLabel: actor.user.email };
  if (actor.type === 'token')
    return { actorType: 'token', actorId: actor.token.id, actorLabel: actor.token.name };
  if (actor.type === 'system') return { actorType: 'system', actorId: null, actorLabel: actor.label };
  if (actor.type === 'visitor') return { actorType: 'visitor', actorId: actor.visitorId, actorLabel: null };
  return { actorType: 'anonymous', actorId: null, actorLabel: null };
}

/** An actor for work Attest does on its own (a CLI command, a job). */
export function systemActor(label: string): SystemActor {
  return { type: 'system', label, ip: 'local', userAgent: null };
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** `<domain>.<noun>.<verb>` from identity/permissions.ts. */
    permission?: string;
    /** Anyone may call it, signed in or not. */
    public?: boolean;
    /** Reachable before the second factor is done (login steps, MFA enrolment, session, logout). */
    allowPendingMfa?: boolean;
    /** Only with a cookie session, never with an API token (own password, MFA, passkeys). */
    sessionOnly?: boolean;
  }
}
