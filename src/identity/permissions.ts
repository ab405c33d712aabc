import { type Actor, type RoleName, rolesOf } from '../core/http/actor.ts';

export const roles = [
  'owner',
  'admin',
  'security',
  'compliance',
  'employee',
  'auditor',
] as const satisfies readonly RoleName[];

const everyone = roles;
const managers = ['owner', 'admin'] as const;

/**
 * Every action a route can require, and the roles that hold it: the one place that says who may
 * do what. Routes name one of these in `config.permission`; the permission matrix test walks the
 * OpenAPI document against this table.
 */
export const permissions = {
  'identity.self.manage': everyone,
  // The home answers each role with only the counts and steps of the areas that role may read.
  'home.read': everyone,
  'identity.user.read': [...managers, 'auditor'],
  'identity.user.manage': managers,
  'identity.invitation.manage': managers,
  'identity.token.manage': managers,
  'audit.log.read': [...managers, 'auditor'],
  'settings.read': managers,
  'settings.manage': managers,
  'mail.outbox.read': managers,
  'trust.content.read': [...managers, 'compliance', 'auditor'],
  'trust.content.manage': [...managers, 'compliance'],
  'trust.access.read': [...managers, 'compliance', 'auditor'],
  'trust.access.manage': [...managers, 'compliance'],
  // Reports hold researchers' identities and unfixed vulnerabilities: only the triage team reads them.
  'disclosure.program.read': [...managers, 'security', 'auditor'],
  'disclosure.program.manage': [...managers, 'security'],
  'disclosure.report.read': [...managers, 'security'],
  'disclosure.report.manage': [...managers, 'security'],
  'disclosure.metrics.read': [...managers, 'security', 'auditor'],
  'disclosure.advisory.read': [...managers, 'security', 'auditor'],
  'disclosure.advisory.manage': [...managers, 'security'],
  'compliance.program.read': [...managers, 'compliance', 'auditor'],
  'compliance.program.manage': [...managers, 'compliance'],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof permissions;

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissions, value);
}

export function can(role: RoleName, permission: Permission): boolean {
  return (permissions[permission] as readonly RoleName[]).includes(role);
}

/** Roles that must use a second factor. Employees may, but are not forced to. */
export function requiresMfa(role: RoleName): boolean {
  return role !== 'employee';
}

const rank: Record<RoleName, number> = {
  owner: 3,
  admin: 2,
  security: 1,
  compliance: 1,
  auditor: 1,
  employee: 0,
};

/** An actor may hand out a role (invite, token, role change) only up to their own: only owners make owners. */
export function canGrantRole(granter: RoleName, role: RoleName): boolean {
  if (role === 'owner') return granter === 'owner';
  return rank[granter] >= 2;
}

/**
 * Whether the actor may hand out `role`. A token may grant only what its own role and its creator's
 * current role both may; Attest itself (the CLI) may grant any role.
 */
export function mayGrantRole(actor: Actor, role: RoleName): boolean {
  if (actor.type === 'system') return true;
  const held = rolesOf(actor);
  return held.length > 0 && held.every((granter) => canGrantRole(granter, role));
}

/** `holder` holds every permission and granting power of `role`: a token of `role` is not capped by it. */
export function roleCovers(holder: RoleName, role: RoleName): boolean {
  if (holder === role) return true;
  if (role === 'owner') return false;
  const held = Object.values(permissions) as readonly (readonly RoleName[])[];
  return (
    held.every((granted) => !granted.includes(role) || granted.includes(holder)) && rank[holder] >= rank[role]
  );
}
