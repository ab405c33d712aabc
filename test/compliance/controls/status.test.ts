import { describe, expect, it } from 'vitest';
import { timeOutOfCompliance } from '../../../src/compliance/controls/controls.service.ts';
import {
  deriveControlStatus,
  deriveRequirementStatus,
  readiness,
} from '../../../src/compliance/controls/status.ts';

const name = { en: 'x', es: 'x', fr: 'x' };
const control = {
  applicable: true,
  evidence: [
    { name, freshnessDays: 92 },
    { name, freshnessDays: 365 },
  ],
};
const now = new Date('2026-06-01T00:00:00Z');
const fresh = '2026-07-01T00:00:00.000Z';
const expired = '2026-05-01T00:00:00.000Z';

describe('control status, derived', () => {
  it('is not applicable when the company says so, whatever the evidence', () => {
    expect(deriveControlStatus({ ...control, applicable: false }, [], now)).toBe('not_applicable');
  });
  it('is not started without evidence', () => {
    expect(deriveControlStatus(control, [], now)).toBe('not_started');
  });
  it('is stale when a required piece is missing or expired', () => {
    expect(
      deriveControlStatus(control, [{ requirementIndex: 0, outcome: 'satisfies', expiresAt: fresh }], now),
    ).toBe('stale');
    expect(
      deriveControlStatus(
        control,
        [
          { requirementIndex: 0, outcome: 'satisfies', expiresAt: fresh },
          { requirementIndex: 1, outcome: 'satisfies', expiresAt: expired },
        ],
        now,
      ),
    ).toBe('stale');
  });
  it('is failing when current evidence shows it not working, before staleness', () => {
    expect(
      deriveControlStatus(control, [{ requirementIndex: 1, outcome: 'fails', expiresAt: expired }], now),
    ).toBe('failing');
  });
  it('is passing when every required piece is current and satisfies', () => {
    expect(
      deriveControlStatus(
        control,
        [
          { requirementIndex: 0, outcome: 'satisfies', expiresAt: fresh },
          { requirementIndex: 1, outcome: 'satisfies', expiresAt: fresh },
        ],
        now,
      ),
    ).toBe('passing');
  });
});

describe('requirement status and readiness', () => {
  it('follows the applicable controls mapped to the requirement', () => {
    expect(deriveRequirementStatus([])).toBe('not_covered');
    expect(deriveRequirementStatus(['not_applicable'])).toBe('not_applicable');
    expect(deriveRequirementStatus(['passing', 'not_applicable'])).toBe('met');
    expect(deriveRequirementStatus(['passing', 'stale'])).toBe('not_met');
  });
  it('is the share of applicable requirements met (uncovered ones count against it)', () => {
    expect(readiness(['met', 'not_met', 'not_applicable', 'not_covered'])).toEqual({
      met: 1,
      applicable: 3,
      share: 1 / 3,
    });
    expect(readiness(['not_applicable']).share).toBeNull();
  });
});

describe('time out of compliance', () => {
  it('adds the spells spent failing or stale, the current one up to now', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    const history = [
      { toStatus: 'not_started', changedAt: at(1) },
      { toStatus: 'failing', changedAt: at(2) },
      { toStatus: 'stale', changedAt: at(4) },
      { toStatus: 'passing', changedAt: at(5) },
      { toStatus: 'stale', changedAt: at(9) },
    ];
    expect(timeOutOfCompliance(history, at(10))).toBe(4 * 86_400_000);
  });
});
