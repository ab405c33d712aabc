import { describe, expect, it } from 'vitest';
import { Problem } from '../../../src/core/http/problem.ts';
import type { ReportRow } from '../../../src/disclosure/reports/reports.store.ts';
import { type ReportStatus, reportStatuses } from '../../../src/disclosure/tables.ts';
import type { BusinessCalendar } from '../../../src/disclosure/triage/sla.ts';
import {
  assertTransition,
  checkTransition,
  SUB_STATUSES,
  type SubStatus,
  subStatuses,
  TRANSITIONS,
} from '../../../src/disclosure/triage/triage.states.ts';
import { firstResponseVerdict, slaView } from '../../../src/disclosure/triage/triage.views.ts';

const allPairs = reportStatuses.flatMap((from) => reportStatuses.map((to) => [from, to] as const));
const allowed = allPairs.filter(([from, to]) => from !== to && TRANSITIONS[from].includes(to));
const refused = allPairs.filter(([from, to]) => from !== to && !TRANSITIONS[from].includes(to));

describe('the transition table', () => {
  it('is the life cycle of the spec', () => {
    const path: ReportStatus[] = ['new', 'triaged', 'accepted', 'fixing', 'resolved', 'disclosed'];
    for (let i = 0; i + 1 < path.length; i += 1) {
      expect(TRANSITIONS[path[i] as ReportStatus]).toContain(path[i + 1]);
    }
    for (const closing of ['duplicate', 'out_of_scope', 'informative', 'not_applicable', 'spam'] as const) {
      expect(TRANSITIONS.new).toContain(closing);
      expect(TRANSITIONS.triaged).toContain(closing);
      expect(TRANSITIONS[closing]).toEqual(['triaged']);
    }
    expect(TRANSITIONS.triaged).toContain('wont_fix');
    expect(TRANSITIONS.disclosed).toEqual([]);
    // Nothing ever goes back to `new`.
    expect(reportStatuses.filter((status) => TRANSITIONS[status].includes('new'))).toEqual([]);
  });

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(checkTransition(from, null, to, null)).toEqual({ ok: true, statusChanged: true });
    expect(assertTransition(from, null, to, null)).toEqual({ statusChanged: true });
  });

  it('refuses every pair the table does not list', () => {
    expect(refused.length).toBeGreaterThan(80);
    for (const [from, to] of refused) {
      expect(checkTransition(from, null, to, null), `${from} → ${to}`).toEqual({
        ok: false,
        reason: 'status',
      });
    }
  });

  it.each([
    ['new', 'resolved'],
    ['new', 'disclosed'],
    ['new', 'wont_fix'],
    ['fixing', 'triaged'],
    ['disclosed', 'triaged'],
    ['duplicate', 'new'],
    ['spam', 'accepted'],
    ['resolved', 'new'],
  ] as const)('refuses %s → %s with a 409 naming what is allowed', (from, to) => {
    let thrown: unknown;
    try {
      assertTransition(from, null, to, null);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Problem);
    const problem = thrown as Problem;
    expect(problem.status).toBe(409);
    expect(problem.code).toBe('disclosure-transition-refused');
    expect(problem.detail).toContain(`${from} cannot move to ${to}`);
    expect(problem.extra.allowedStatuses).toEqual(TRANSITIONS[from]);
  });
});

describe('sub-states', () => {
  it('needs_more_info while assessing, retest while fixing or resolved, nothing on closed reports', () => {
    expect(SUB_STATUSES.new).toEqual(['needs_more_info']);
    expect(SUB_STATUSES.triaged).toEqual(['needs_more_info']);
    expect(SUB_STATUSES.accepted).toEqual(['needs_more_info']);
    expect(SUB_STATUSES.fixing).toEqual(['retest']);
    expect(SUB_STATUSES.resolved).toEqual(['retest']);
    for (const closed of ['disclosed', 'duplicate', 'spam', 'wont_fix'] as const)
      expect(SUB_STATUSES[closed]).toEqual([]);
  });

  it('sets and clears a sub-state without changing the status', () => {
    expect(checkTransition('triaged', null, 'triaged', 'needs_more_info')).toEqual({
      ok: true,
      statusChanged: false,
    });
    expect(checkTransition('triaged', 'needs_more_info', 'triaged', null)).toEqual({
      ok: true,
      statusChanged: false,
    });
    expect(checkTransition('resolved', null, 'resolved', 'retest').ok).toBe(true);
    expect(checkTransition('fixing', null, 'resolved', 'retest')).toEqual({ ok: true, statusChanged: true });
  });

  it('refuses a sub-state the status does not take, and a change that changes nothing', () => {
    const cases: [ReportStatus, SubStatus | null, ReportStatus, SubStatus | null, string][] = [
      ['triaged', null, 'triaged', 'retest', 'sub-status'],
      ['fixing', null, 'fixing', 'needs_more_info', 'sub-status'],
      ['new', null, 'spam', 'needs_more_info', 'sub-status'],
      ['triaged', null, 'triaged', null, 'unchanged'],
      ['triaged', 'needs_more_info', 'triaged', 'needs_more_info', 'unchanged'],
    ];
    for (const [from, fromSub, to, toSub, reason] of cases) {
      expect(checkTransition(from, fromSub, to, toSub)).toEqual({ ok: false, reason });
      expect(() => assertTransition(from, fromSub, to, toSub)).toThrow(Problem);
    }
    expect(subStatuses).toEqual(['needs_more_info', 'retest']);
  });
});

describe('the SLA view of a report', () => {
  const calendar: BusinessCalendar = { timeZone: 'UTC', holidays: { country: null, region: null } };
  // Received Friday 14:00, due Wednesday 14:00.
  const base = {
    status: 'new',
    receivedAt: new Date('2026-03-06T14:00:00Z'),
    responseDueAt: new Date('2026-03-11T14:00:00Z'),
    firstResponseAt: null,
    closedAt: null,
    resolvedAt: null,
    fixDueAt: null,
    disclosureDueAt: new Date('2026-06-04T14:00:00Z'),
  } as unknown as ReportRow;
  const at = (iso: string) => new Date(iso);

  it('counts down in business days and hours, due-soon within one business day, then breached', () => {
    const monday = slaView(base, calendar, at('2026-03-09T10:00:00Z'));
    expect(monday).toMatchObject({ state: 'due', businessDaysLeft: 2, hoursLeft: 52 });
    const tuesday = slaView(base, calendar, at('2026-03-10T15:00:00Z'));
    expect(tuesday).toMatchObject({ state: 'due-soon', businessDaysLeft: 0, hoursLeft: 23 });
    const late = slaView(base, calendar, at('2026-03-12T14:00:00Z'));
    expect(late).toMatchObject({ state: 'breached', businessDaysLeft: -1, hoursLeft: -24 });
  });

  it('judges the first response against the deadline, and leaves out reports closed in time without one', () => {
    const now = at('2026-04-01T00:00:00Z');
    const answered = (iso: string) => ({ ...base, firstResponseAt: at(iso) });
    expect(firstResponseVerdict(answered('2026-03-11T14:00:00Z'), now)).toBe('met');
    expect(firstResponseVerdict(answered('2026-03-11T14:00:01Z'), now)).toBe('missed');
    expect(firstResponseVerdict({ ...base, status: 'spam', closedAt: at('2026-03-07T00:00:00Z') }, now)).toBe(
      'not-applicable',
    );
    expect(firstResponseVerdict({ ...base, status: 'spam', closedAt: at('2026-03-20T00:00:00Z') }, now)).toBe(
      'missed',
    );
    expect(firstResponseVerdict(base, at('2026-03-10T00:00:00Z'))).toBe('pending');
    expect(firstResponseVerdict(base, now)).toBe('missed');
    expect(slaView(answered('2026-03-09T09:00:00Z'), calendar, now)).toMatchObject({
      state: 'met',
      businessDaysLeft: null,
      hoursLeft: null,
    });
  });
});
