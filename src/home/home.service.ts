import type { AppContext } from '../core/context.ts';
import type { RoleName } from '../core/http/actor.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import {
  countReportAttention,
  programHasRealContact,
  programPublishedByPerson,
} from '../disclosure/index.ts';
import { can, type Permission, teamInvited } from '../identity/index.ts';
import {
  countExpiringDocuments,
  countPendingAccessRequests,
  defaultTextsReviewed,
  trustSitePublished,
} from '../trust/index.ts';

/**
 * The admin home: what each role should do next. Every step and count names the permission it needs, and
 * is neither computed nor returned for a role without it (least privilege: the home never tells an
 * employee how many reports arrived).
 */

export const ONBOARDING_KEYS = [
  'organization',
  'defaultTexts',
  'securityContact',
  'publishTrustCenter',
  'publishProgram',
  'inviteTeam',
  'mail',
] as const;
export type OnboardingKey = (typeof ONBOARDING_KEYS)[number];

export const ATTENTION_KEYS = [
  'reportsBreached',
  'reportsDue',
  'accessRequestsPending',
  'documentsExpiring',
] as const;
export type AttentionKey = (typeof ATTENTION_KEYS)[number];

type Step = {
  key: OnboardingKey;
  permission: Permission;
  path: string;
  done: (ctx: AppContext) => Promise<boolean>;
};

/** The organization's facts are set once its name is no longer the shipped default. */
async function organizationFactsSet(ctx: AppContext): Promise<boolean> {
  const defaults = organizationDefaults(ctx);
  const settings = await getSettings(ctx.database.db, defaults);
  return settings.organizationName !== defaults.organizationName;
}

const STEPS: readonly Step[] = [
  { key: 'organization', permission: 'settings.manage', path: '/settings', done: organizationFactsSet },
  {
    key: 'defaultTexts',
    permission: 'trust.content.manage',
    path: '/trust/content',
    done: (ctx) => defaultTextsReviewed(ctx.database.db),
  },
  {
    key: 'securityContact',
    permission: 'disclosure.program.manage',
    path: '/disclosure/program',
    done: (ctx) => programHasRealContact(ctx.database.db),
  },
  {
    key: 'publishTrustCenter',
    permission: 'trust.content.manage',
    path: '/trust/content',
    done: (ctx) => trustSitePublished(ctx.database.db),
  },
  {
    key: 'publishProgram',
    permission: 'disclosure.program.manage',
    path: '/disclosure/program',
    done: (ctx) => programPublishedByPerson(ctx.database.db),
  },
  {
    key: 'inviteTeam',
    permission: 'identity.invitation.manage',
    path: '/users',
    done: (ctx) => teamInvited(ctx.database.db, new Date()),
  },
  {
    key: 'mail',
    permission: 'settings.manage',
    path: '/settings',
    done: async (ctx) => ctx.mailer.mode === 'smtp',
  },
];

type Count = { key: AttentionKey; permission: Permission; path: string };

const COUNTS: readonly Count[] = [
  { key: 'reportsBreached', permission: 'disclosure.report.read', path: '/disclosure/reports?overdue=true' },
  { key: 'reportsDue', permission: 'disclosure.report.read', path: '/disclosure/reports' },
  { key: 'accessRequestsPending', permission: 'trust.access.read', path: '/trust/access' },
  { key: 'documentsExpiring', permission: 'trust.content.read', path: '/trust/documents' },
];

export type HomeView = {
  onboarding: { key: OnboardingKey; done: boolean; path: string }[];
  attention: { key: AttentionKey; count: number; path: string }[];
};

export async function getHome(ctx: AppContext, role: RoleName, now = new Date()): Promise<HomeView> {
  const db = ctx.database.db;
  const onboarding = [];
  for (const step of STEPS) {
    if (!can(role, step.permission)) continue;
    onboarding.push({ key: step.key, done: await step.done(ctx), path: step.path });
  }
  const visible = COUNTS.filter((item) => can(role, item.permission));
  const values: Partial<Record<AttentionKey, number>> = {};
  if (visible.some((item) => item.key.startsWith('reports'))) {
    const reports = await countReportAttention(db, now);
    values.reportsBreached = reports.breached;
    values.reportsDue = reports.due;
  }
  if (visible.some((item) => item.key === 'accessRequestsPending'))
    values.accessRequestsPending = await countPendingAccessRequests(db);
  if (visible.some((item) => item.key === 'documentsExpiring'))
    values.documentsExpiring = await countExpiringDocuments(db, now);
  return {
    onboarding,
    attention: visible.map((item) => ({ key: item.key, count: values[item.key] ?? 0, path: item.path })),
  };
}
