import type { Role } from '../api';
import { ROLES } from '../api';

export const MANAGE_ROLES: readonly Role[] = ['owner', 'admin'];
export const AUDIT_ROLES: readonly Role[] = ['owner', 'admin', 'auditor'];
/** Trust center: who reads and who edits its content and documents (mirrors src/identity/permissions.ts). */
export const TRUST_CONTENT_READ_ROLES: readonly Role[] = ['owner', 'admin', 'compliance', 'auditor'];
export const TRUST_CONTENT_MANAGE_ROLES: readonly Role[] = ['owner', 'admin', 'compliance'];
/** Trust center: who reads and who decides access requests, grants, NDAs and analytics. */
export const TRUST_ACCESS_READ_ROLES: readonly Role[] = ['owner', 'admin', 'compliance', 'auditor'];
export const TRUST_ACCESS_MANAGE_ROLES: readonly Role[] = ['owner', 'admin', 'compliance'];
/** Disclosure program (mirrors src/identity/permissions.ts): reports are for the triage team only. */
export const DISCLOSURE_PROGRAM_READ_ROLES: readonly Role[] = ['owner', 'admin', 'security', 'auditor'];
export const DISCLOSURE_MANAGE_ROLES: readonly Role[] = ['owner', 'admin', 'security'];
export const DISCLOSURE_REPORT_ROLES: readonly Role[] = ['owner', 'admin', 'security'];
export const DISCLOSURE_METRICS_ROLES: readonly Role[] = ['owner', 'admin', 'security', 'auditor'];
export const DISCLOSURE_ADVISORY_READ_ROLES: readonly Role[] = ['owner', 'admin', 'security', 'auditor'];
/** Roles that must use a second factor (everyone but plain employees). */
export const STAFF_ROLES: readonly Role[] = ['owner', 'admin', 'security', 'compliance', 'auditor'];

export function hasRole(role: Role, allowed: readonly Role[]): boolean {
  return allowed.includes(role);
}

/** Roles a user may hand out (invite, role change, API token): only owners create owners. */
export function assignableRoles(actor: Role): Role[] {
  return ROLES.filter((r) => actor === 'owner' || r !== 'owner');
}
