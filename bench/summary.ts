/**
 * The one line per scenario that `npm run bench` gathers into its table: each bench appends its rows as
 * JSON lines to BENCH_SUMMARY_FILE when that is set (bench/all.ts sets it).
 */
import { appendFileSync } from 'node:fs';

export type SummaryRow = {
  scenario: string;
  /** Attest's median requests/s. */
  attest: number;
  /** The reference's median requests/s, and what it was. */
  reference: number;
  referenceName: string;
  ratio: number;
  /** Attest's median p99 latency, ms. */
  p99Ms: number;
  /** Responses ≥ 400 plus socket errors, over every measured run of Attest and the reference. */
  non2xx: number;
  passed: boolean;
};

export function reportSummary(rows: SummaryRow[]): void {
  const file = process.env.BENCH_SUMMARY_FILE;
  if (!file) return;
  for (const row of rows) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
