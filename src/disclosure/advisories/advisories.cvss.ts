import cvssCalculator from 'ae-cvss-calculator';

/**
 * CVSS vectors of advisories: 3.1 and 4.0, checked and scored with ae-cvss-calculator (FIRST's formulas).
 * A vector must define every base metric once; environmental and temporal/threat metrics are allowed.
 */

export type CvssVersion = '3.1' | '4.0';
export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type CvssScore = { version: CvssVersion; vector: string; baseScore: number; baseSeverity: Severity };

const BASE_METRICS: Record<CvssVersion, string[]> = {
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

/** FIRST's qualitative rating scale (the same bands in 3.1 and 4.0). */
export function severityOf(score: number): Severity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** Scores a vector of the given version, or returns a sentence saying what is wrong with it. */
export function scoreCvss(version: CvssVersion, vector: string): CvssScore | string {
  const prefix = `CVSS:${version}/`;
  if (!vector.startsWith(prefix)) return `must start with "${prefix}"`;
  const parts = vector.slice(prefix.length).split('/');
  const seen = new Map<string, string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match) return `"${part}" is not a METRIC:VALUE pair`;
    const [, metric = '', value = ''] = match;
    if (seen.has(metric)) return `metric ${metric} is given twice`;
    seen.set(metric, value);
  }
  const missing = BASE_METRICS[version].filter((metric) => !seen.has(metric) || seen.get(metric) === 'X');
  if (missing.length > 0) return `base metrics missing: ${missing.join(', ')}`;
  let baseScore: number | undefined;
  try {
    const parsed =
      version === '3.1' ? new cvssCalculator.Cvss3P1(vector) : new cvssCalculator.Cvss4P0(vector);
    baseScore = parsed.calculateScores().base;
  } catch (error) {
    return (error as Error).message.replace(/^Unknown component value/, 'unknown value');
  }
  if (typeof baseScore !== 'number' || Number.isNaN(baseScore)) return 'the base score cannot be computed';
  return { version, vector, baseScore, baseSeverity: severityOf(baseScore) };
}
