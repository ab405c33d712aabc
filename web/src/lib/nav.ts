import type { AttentionKey, Role } from '../api';
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

/** Areas of the navigation, in order; `null` is the ungrouped top (home, your account). */
export type NavGroup = 'trust' | 'disclosure' | 'compliance' | 'administration';
export const NAV_GROUPS: readonly NavGroup[] = ['trust', 'disclosure', 'compliance', 'administration'];

export interface NavItem {
  key: NavKey;
  path: string;
  group: NavGroup | null;
  /** Roles that see the entry; undefined = everyone signed in. */
  roles?: readonly Role[];
  /** Home counts shown as a badge on the entry; `urgent` ones colour it red. */
  attention?: { keys: readonly AttentionKey[]; urgent: readonly AttentionKey[] };
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', path: '/', group: null },
  { key: 'account', path: '/account', group: null },
  { key: 'trustContent', path: '/trust/content', group: 'trust', roles: TRUST_CONTENT_READ_ROLES },
  {
    key: 'trustDocuments',
    path: '/trust/documents',
    group: 'trust',
    roles: TRUST_CONTENT_READ_ROLES,
    attention: { keys: ['documentsExpiring'], urgent: [] },
  },
  {
    key: 'trustAccess',
    path: '/trust/access',
    group: 'trust',
    roles: TRUST_ACCESS_READ_ROLES,
    attention: { keys: ['accessRequestsPending'], urgent: [] },
  },
  { key: 'trustAnalytics', path: '/trust/analytics', group: 'trust', roles: TRUST_ACCESS_READ_ROLES },
  {
    key: 'disclosureReports',
    path: '/disclosure/reports',
    group: 'disclosure',
    roles: DISCLOSURE_REPORT_ROLES,
    attention: { keys: ['reportsBreached', 'reportsDue'], urgent: ['reportsBreached'] },
  },
  {
    key: 'disclosureProgram',
    path: '/disclosure/program',
    group: 'disclosure',
    roles: DISCLOSURE_PROGRAM_READ_ROLES,
  },
  {
    key: 'disclosureAdvisories',
    path: '/disclosure/advisories',
    group: 'disclosure',
    roles: DISCLOSURE_ADVISORY_READ_ROLES,
  },
  {
    key: 'disclosureMetrics',
    path: '/disclosure/metrics',
    group: 'disclosure',
    roles: DISCLOSURE_METRICS_ROLES,
  },
  { key: 'users', path: '/users', group: 'administration', roles: MANAGE_ROLES },
  { key: 'tokens', path: '/tokens', group: 'administration', roles: MANAGE_ROLES },
  { key: 'settings', path: '/settings', group: 'administration', roles: MANAGE_ROLES },
  { key: 'outbox', path: '/outbox', group: 'administration', roles: MANAGE_ROLES },
  { key: 'failedJobs', path: '/jobs', group: 'administration', roles: MANAGE_ROLES },
  { key: 'audit', path: '/audit', group: 'administration', roles: AUDIT_ROLES },
];
