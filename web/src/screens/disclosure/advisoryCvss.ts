import type { Severity } from '../../api-disclosure-advisories';

type Calculator = typeof import('ae-cvss-calculator');
let library: Promise<Calculator> | null = null;

/** The CVSS calculator, loaded on first use so the main bundle stays small (a CommonJS module: its exports are `default`). */
export function loadCalculator(): Promise<Calculator> {
  library ??= import('ae-cvss-calculator').then(
    (module) => (module as unknown as { default?: Calculator }).default ?? module,
  );
  return library;
}

/** FIRST's qualitative bands, the same in CVSS 3.1 and 4.0. */
export function severityOf(score: number): Severity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/**
 * The live base score of a vector being typed, or null while it is not a complete vector of that version.
 * The server checks the vector again on save; this is only the preview.
 */
export function liveScore(
  cvssCalculator: Calculator,
  version: '3.1' | '4.0',
  vector: string,
): { score: number; severity: Severity } | null {
  const trimmed = vector.trim();
  if (!trimmed.startsWith(`CVSS:${version}/`)) return null;
  try {
    const parsed =
      version === '3.1' ? new cvssCalculator.Cvss3P1(trimmed) : new cvssCalculator.Cvss4P0(trimmed);
    if (version === '3.1' && !(parsed as { isBaseFullyDefined?: () => boolean }).isBaseFullyDefined?.()) {
      return null;
    }
    const score = parsed.calculateScores().base;
    if (typeof score !== 'number' || Number.isNaN(score)) return null;
    if (version === '4.0' && /\/(AV|AC|AT|PR|UI|VC|VI|VA|SC|SI|SA):X\b/.test(parsed.toString())) return null;
    return { score, severity: severityOf(score) };
  } catch {
    return null;
  }
}

export const SEVERITY_COLOR: Record<Severity, string> = {
  NONE: 'gray',
  LOW: 'blue',
  MEDIUM: 'yellow',
  HIGH: 'orange',
  CRITICAL: 'red',
};
