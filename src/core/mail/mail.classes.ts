import type { MailTemplate } from './templates.ts';

/**
 * Which mail goes first when the queue is long. `account`: mail a person is waiting for to get into
 * or protect an account (resets, invitations, sign-in links, security alerts) — links that expire
 * within the hour must not queue behind anything. `team`: the team's work and replies to people
 * the team is talking to. `bulk`: mail anyone on the internet can cause (receipts, confirmations
 * of forms, list notices), which a flood must not put ahead of the rest.
 */
export type MailClass = 'account' | 'team' | 'bulk';

/** pg-boss fetches higher priorities first, then oldest first. */
const PRIORITY: Record<MailClass, number> = { account: 20, team: 10, bulk: 0 };

// A mapped type over every template: adding a template without classing it does not compile.
const CLASS_OF: { [T in MailTemplate]: MailClass } = {
  invitation: 'account',
  'password-reset': 'account',
  'password-changed': 'account',
  'mfa-changed': 'account',
  'account-locked': 'account',
  'trust-magic-link': 'account',
  'disclosure-researcher-portal-link': 'account',
  'trust-access-pending': 'team',
  'trust-access-approved': 'team',
  'trust-access-denied': 'team',
  'trust-nda-signed': 'team',
  'disclosure-team-activity': 'team',
  'disclosure-team-sla': 'team',
  'disclosure-program-expiry-warning': 'team',
  'disclosure-researcher-message': 'team',
  'disclosure-researcher-first-response': 'team',
  'disclosure-researcher-status': 'team',
  'trust-access-confirm': 'bulk',
  'trust-subscription-confirm': 'bulk',
  'trust-subscription-notice': 'bulk',
  'disclosure-researcher-receipt': 'bulk',
};

export function mailClassOf(template: MailTemplate): MailClass {
  return CLASS_OF[template];
}

export function priorityOf(mailClass: MailClass): number {
  return PRIORITY[mailClass];
}
