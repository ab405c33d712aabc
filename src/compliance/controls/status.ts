import type { EvidenceRequirement } from '../tables.ts';

export const CONTROL_STATUSES = ['passing', 'failing', 'stale', 'not_started', 'not_applicable'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** The newest item, not superseded, for one required piece of evidence of a control. */
export type CurrentEvidence = { requirementIndex: number; outcome: string; expiresAt: string };

/**
 * A control's status, derived (never typed): not applicable when the company says so with a justification;
 * not started while it has no evidence at all; failing when the newest evidence of any required piece shows
 * it not working; stale when a required piece is missing or past its expiry; passing otherwise.
 */
export function deriveControlStatus(
  control: { applicable: boolean; evidence: EvidenceRequirement[] },
  current: CurrentEvidence[],
  now: Date,
): ControlStatus {
  if (!control.applicable) return 'not_applicable';
  if (current.length === 0) return 'not_started';
  if (current.some((item) => item.outcome === 'fails')) return 'failing';
  const nowIso = now.toISOString();
  for (let index = 0; index < control.evidence.length; index += 1) {
    const item = current.find((candidate) => candidate.requirementIndex === index);
    if (!item || item.expiresAt <= nowIso) return 'stale';
  }
  return 'passing';
}

export type RequirementStatus = 'met' | 'not_met' | 'not_applicable' | 'not_covered';

/**
 * A requirement is met when every applicable control mapped to it passes, not applicable when every mapped
 * control is, and not covered when no control maps to it (it still counts against readiness).
 */
export function deriveRequirementStatus(controlStatuses: ControlStatus[]): RequirementStatus {
  if (controlStatuses.length === 0) return 'not_covered';
  const applicable = controlStatuses.filter((status) => status !== 'not_applicable');
  if (applicable.length === 0) return 'not_applicable';
  return applicable.every((status) => status === 'passing') ? 'met' : 'not_met';
}

/** Share (0–1) of applicable requirements met; null when no requirement applies. */
export function readiness(statuses: RequirementStatus[]): {
  met: number;
  applicable: number;
  share: number | null;
} {
  const applicable = statuses.filter((status) => status !== 'not_applicable').length;
  const met = statuses.filter((status) => status === 'met').length;
  return { met, applicable, share: applicable === 0 ? null : met / applicable };
}
