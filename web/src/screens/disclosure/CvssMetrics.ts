/**
 * CVSS 3.1 and 4.0 base metrics, and the parsing and scoring of vectors, for the report view's calculator.
 * The scoring library (ae-cvss-calculator, FIRST's formulas, ~190 kB) is loaded on first use only, so the
 * rest of the admin app does not carry it. The server scores the saved vector again with the same library.
 */

export type CvssVersion = '3.1' | '4.0';
export const CVSS_VERSIONS: readonly CvssVersion[] = ['3.1', '4.0'];
export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface CvssMetric {
  key: string;
  values: readonly string[];
}

/** Base metrics in the order of the specification, with their values from most to least severe. */
export const CVSS_BASE_METRICS: Record<CvssVersion, readonly CvssMetric[]> = {
  '3.1': [
    { key: 'AV', values: ['N', 'A', 'L', 'P'] },
    { key: 'AC', values: ['L', 'H'] },
    { key: 'PR', values: ['N', 'L', 'H'] },
    { key: 'UI', values: ['N', 'R'] },
    { key: 'S', values: ['U', 'C'] },
    { key: 'C', values: ['H', 'L', 'N'] },
    { key: 'I', values: ['H', 'L', 'N'] },
    { key: 'A', values: ['H', 'L', 'N'] },
  ],
  '4.0': [
    { key: 'AV', values: ['N', 'A', 'L', 'P'] },
    { key: 'AC', values: ['L', 'H'] },
    { key: 'AT', values: ['N', 'P'] },
    { key: 'PR', values: ['N', 'L', 'H'] },
    { key: 'UI', values: ['N', 'P', 'A'] },
    { key: 'VC', values: ['H', 'L', 'N'] },
    { key: 'VI', values: ['H', 'L', 'N'] },
    { key: 'VA', values: ['H', 'L', 'N'] },
    { key: 'SC', values: ['H', 'L', 'N'] },
    { key: 'SI', values: ['H', 'L', 'N'] },
    { key: 'SA', values: ['H', 'L', 'N'] },
  ],
};

export interface ParsedVector {
  version: CvssVersion;
  /** Every metric of the vector in its order, base or not (temporal, threat, environmental are kept). */
  metrics: [string, string][];
}

export type VectorProblem =
  | { kind: 'prefix' }
  | { kind: 'pair'; part: string }
  | { kind: 'twice'; metric: string }
  | { kind: 'missing'; metrics: string[] };

/** The version a vector names in its prefix, if it is one this calculator knows. */
export function versionOf(vector: string): CvssVersion | null {
  const match = /^CVSS:(3\.1|4\.0)\//.exec(vector.trim());
  return match ? (match[1] as CvssVersion) : null;
}

/** Splits a vector into its metrics, or says what keeps it from being a complete base vector. */
export function parseVector(vector: string): ParsedVector | VectorProblem {
  const trimmed = vector.trim();
  const version = versionOf(trimmed);
  if (!version) return { kind: 'prefix' };
  const body = trimmed.slice(`CVSS:${version}/`.length);
  const metrics: [string, string][] = [];
  for (const part of body.split('/')) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match) return { kind: 'pair', part };
    const [, metric = '', value = ''] = match;
    if (metrics.some(([seen]) => seen === metric)) return { kind: 'twice', metric };
    metrics.push([metric, value]);
  }
  const given = new Map(metrics);
  const missing = CVSS_BASE_METRICS[version]
    .map((metric) => metric.key)
    .filter((key) => !given.has(key) || given.get(key) === 'X');
  if (missing.length > 0) return { kind: 'missing', metrics: missing };
  return { version, metrics };
}

export function isProblem(parsed: ParsedVector | VectorProblem): parsed is VectorProblem {
  return 'kind' in parsed;
}

/** The vector with one metric set (added after the base metrics when it was not there). */
export function withMetric(vector: string, version: CvssVersion, key: string, value: string): string {
  const prefix = `CVSS:${version}/`;
  const body = versionOf(vector) === version ? vector.trim().slice(prefix.length) : '';
  const parts = body ? body.split('/') : [];
  const index = parts.findIndex((part) => part.split(':')[0] === key);
  if (index >= 0) parts[index] = `${key}:${value}`;
  else {
    // Keep the specification's order: insert before the first metric that comes later in the base list.
    const order = CVSS_BASE_METRICS[version].map((metric) => metric.key);
    const rank = order.indexOf(key);
    const later = parts.findIndex((part) => {
      const other = order.indexOf(part.split(':')[0] ?? '');
      return other === -1 || other > rank;
    });
    parts.splice(later === -1 ? parts.length : later, 0, `${key}:${value}`);
  }
  return prefix + parts.join('/');
}

/** The value a metric has in a vector, if any. */
export function metricValue(vector: string, key: string): string | undefined {
  const part = vector
    .trim()
    .split('/')
    .find((p) => p.split(':')[0] === key);
  return part?.split(':')[1];
}

/** FIRST's qualitative rating scale (the same bands in 3.1 and 4.0). */
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

export const SEVERITY_COLOR: Record<CvssSeverity, string> = {
  none: 'gray',
  low: 'green',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};

export type CvssResult = { score: number; severity: CvssSeverity } | { error: string };

let library: Promise<typeof import('ae-cvss-calculator')> | null = null;

/** Scores a complete base vector; a vector the library refuses gives its message. */
export async function scoreVector(parsed: ParsedVector, vector: string): Promise<CvssResult> {
  library ??= import('ae-cvss-calculator');
  const { Cvss3P1, Cvss4P0 } = await library;
  try {
    const cvss = parsed.version === '3.1' ? new Cvss3P1(vector.trim()) : new Cvss4P0(vector.trim());
    const score = cvss.calculateScores().base;
    if (typeof score !== 'number' || Number.isNaN(score)) return { error: 'score' };
    return { score, severity: severityOf(score) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
