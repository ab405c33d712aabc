import { scoreCvss } from '../advisories/advisories.cvss.ts';
import type { ProgramSource } from '../program/program.schema.ts';
import type { Severity } from './triage.schemas.ts';

const DAY_MS = 86_400_000;

/**
 * Scores a report's CVSS 3.1 or 4.0 vector (the version is in its prefix) with ae-cvss-calculator, and
 * rates it on FIRST's scale. Returns a sentence saying what is wrong for a vector that does not score.
 */
export function scoreReportVector(vector: string): { cvssScore: number; severity: Severity } | string {
  const version = vector.startsWith('CVSS:3.1/') ? '3.1' : vector.startsWith('CVSS:4.0/') ? '4.0' : null;
  if (!version) return 'a CVSS vector must start with "CVSS:3.1/" or "CVSS:4.0/"';
  const scored = scoreCvss(version, vector);
  if (typeof scored === 'string') return `not a valid CVSS ${version} vector: ${scored}`;
  return { cvssScore: scored.baseScore, severity: scored.baseSeverity.toLowerCase() as Severity };
}

/**
 * When the fix is due: the program's fix target for the severity, in calendar days from triage (from
 * receipt when the report was never triaged). No target for severity none or an unrated report.
 */
export function fixDueAtFor(
  program: ProgramSource,
  severity: Severity | null,
  from: { triagedAt: Date | null; receivedAt: Date },
): Date | null {
  if (!severity || severity === 'none') return null;
  const start = from.triagedAt ?? from.receivedAt;
  return new Date(start.getTime() + program.fixTargetDays[severity] * DAY_MS);
}
