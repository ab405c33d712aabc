import type { Role } from '../api';
import {
  AUDIT_ROLES,
  DISCLOSURE_ADVISORY_READ_ROLES,
  DISCLOSURE_METRICS_ROLES,
  DISCLOSURE_PROGRAM_READ_ROLES,
  DISCLOSURE_REPORT_ROLES,
  MANAGE_ROLES,
  TRUST_ACCESS_READ_ROLES,
  TRUST_CONTENT_READ_ROLES,
} from './permissions';

export type NavKey =
  | 'dashboard'
  | 'account'
  | 'users'
  | 'tokens'
  | 'audit'
  | 'settings'
  | 'outbox'
  | 'failedJobs'
  | 'trustContent'
  | 'trustDocuments'
  | 'trustAccess'
  | 'trustAnalytics'
  | 'disclosureReports'
  | 'disclosureMetrics'
  | 'disclosureProgram'
  | 'disclosureAdvisories';

export interface NavItem {
  key: NavKey;
  path: string;
  /** Roles that see the entry; undefined = everyone signed in. */
  roles?: readonly Role[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', path: '/' },
  { key: 'account', path: '/account' },
  { key: 'users', path: '/users', roles: MANAGE_ROLES },
  { key: 'tokens', path: '/tokens', roles: MANAGE_ROLES },
  { key: 'audit', path: '/audit', roles: AUDIT_ROLES },
  { key: 'settings', path: '/settings', roles: MANAGE_ROLES },
  { key: 'outbox', path: '/outbox', roles: MANAGE_ROLES },
  { key: 'failedJobs', path: '/jobs', roles: MANAGE_ROLES },
  { key: 'trustContent', path: '/trust/content', roles: TRUST_CONTENT_READ_ROLES },
  { key: 'trustDocuments', path: '/trust/documents', roles: TRUST_CONTENT_READ_ROLES },
  { key: 'trustAccess', path: '/trust/access', roles: TRUST_ACCESS_READ_ROLES },
  { key: 'trustAnalytics', path: '/trust/analytics', roles: TRUST_ACCESS_READ_ROLES },
  { key: 'disclosureReports', path: '/disclosure/reports', roles: DISCLOSURE_REPORT_ROLES },
  { key: 'disclosureMetrics', path: '/disclosure/metrics', roles: DISCLOSURE_METRICS_ROLES },
  { key: 'disclosureProgram', path: '/disclosure/program', roles: DISCLOSURE_PROGRAM_READ_ROLES },
  { key: 'disclosureAdvisories', path: '/disclosure/advisories', roles: DISCLOSURE_ADVISORY_READ_ROLES },
];
