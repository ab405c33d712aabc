import { problem } from '../../core/http/problem.ts';
import type { ReportStatus } from '../tables.ts';

/**
 * The report life cycle, in one table. Everything that changes a report's status or sub-status goes
 * through `assertTransition`, so the rules below are the only ones.
 *
 *   new → triaged → accepted → fixing → resolved → disclosed
 *
 * A report can be closed as duplicate, out of scope, informative, not applicable or spam while it is
 * being triaged, and as won't fix once it is known to be real. Closed reports re-open to `triaged`
 * (a person looked at it already, so never back to `new`); won't fix can also resume at `fixing`.
 * A resolved report goes back to `fixing` when the fix does not hold. `disclosed` is final.
 *
 * Sub-states qualify a status without replacing it: `needs_more_info` (waiting on the researcher)
 * while the report is being assessed, `retest` (the researcher is asked to confirm a fix) while it is
 * being fixed or once resolved.
 */

export const subStatuses = ['needs_more_info', 'retest'] as const;
export type SubStatus = (typeof subStatuses)[number];

/** Work in progress: the inbox's "open" filter, and what SLA reminders look at. */
export const OPEN_STATUSES = ['new', 'triaged', 'accepted', 'fixing'] as const satisfies ReportStatus[];
/** Closing decisions: the report needs nothing more. */
export const CLOSING_STATUSES = [
  'duplicate',
  'out_of_scope',
  'informative',
  'not_applicable',
  'spam',
  'wont_fix',
] as const satisfies ReportStatus[];

const closedDuringTriage = ['duplicate', 'out_of_scope', 'informative', 'not_applicable', 'spam'] as const;

export const TRANSITIONS: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  new: ['triaged', 'accepted', ...closedDuringTriage],
  triaged: ['accepted', 'wont_fix', ...closedDuringTriage],
  accepted: ['fixing', 'resolved', 'wont_fix', 'duplicate', 'informative'],
  fixing: ['resolved', 'wont_fix'],
  resolved: ['disclosed', 'fixing'],
  disclosed: [],
  duplicate: ['triaged'],
  out_of_scope: ['triaged'],
  informative: ['triaged'],
  not_applicable: ['triaged'],
  spam: ['triaged'],
  wont_fix: ['triaged', 'fixing'],
};

/** Which sub-state each status allows. */
export const SUB_STATUSES: Readonly<Record<ReportStatus, readonly SubStatus[]>> = {
  new: ['needs_more_info'],
  triaged: ['needs_more_info'],
  accepted: ['needs_more_info'],
  fixing: ['retest'],
  resolved: ['retest'],
  disclosed: [],
  duplicate: [],
  out_of_scope: [],
  informative: [],
  not_applicable: [],
  spam: [],
  wont_fix: [],
};

export function isOpenStatus(status: ReportStatus): boolean {
  return (OPEN_STATUSES as readonly ReportStatus[]).includes(status);
}

export function isClosingStatus(status: ReportStatus): boolean {
  return (CLOSING_STATUSES as readonly ReportStatus[]).includes(status);
}

export type TransitionCheck =
  | { ok: true; statusChanged: boolean }
  | { ok: false; reason: 'status' | 'sub-status' | 'unchanged' };

/**
 * Whether a report in `from` (with `fromSub`) may become `to` with `toSub`. Staying in the same status
 * is allowed to set or clear a sub-state, as long as something changes.
 */
export function checkTransition(
  from: ReportStatus,
  fromSub: SubStatus | null,
  to: ReportStatus,
  toSub: SubStatus | null,
): TransitionCheck {
  const statusChanged = from !== to;
  if (statusChanged && !TRANSITIONS[from].includes(to)) return { ok: false, reason: 'status' };
  if (toSub !== null && !SUB_STATUSES[to].includes(toSub)) return { ok: false, reason: 'sub-status' };
  if (!statusChanged && fromSub === toSub) return { ok: false, reason: 'unchanged' };
  return { ok: true, statusChanged };
}

/** Throws the 409 problem that names what is allowed instead; returns whether the status changes. */
export function assertTransition(
  from: ReportStatus,
  fromSub: SubStatus | null,
  to: ReportStatus,
  toSub: SubStatus | null,
): { statusChanged: boolean } {
  const check = checkTransition(from, fromSub, to, toSub);
  if (check.ok) return { statusChanged: check.statusChanged };
  const allowed = { allowedStatuses: TRANSITIONS[from], allowedSubStatuses: SUB_STATUSES[to] };
  if (check.reason === 'status') {
    const list = TRANSITIONS[from].join(', ') || 'none: it is final';
    throw problem(
      409,
      'disclosure-transition-refused',
      `A report in status ${from} cannot move to ${to} (allowed: ${list}).`,
      { from, to, ...allowed },
    );
  }
  if (check.reason === 'sub-status') {
    const list = SUB_STATUSES[to].join(', ') || 'none';
    throw problem(
      409,
      'disclosure-transition-refused',
      `Status ${to} does not take the sub-status ${toSub} (allowed: ${list}).`,
      { from, to, ...allowed },
    );
  }
  throw problem(
    409,
    'disclosure-transition-refused',
    `The report is already ${to}${fromSub ? ` (${fromSub})` : ''}: nothing would change.`,
    { from, to, ...allowed },
  );
}
