/**
 * `npm run bench`: every wrk bench in sequence, each in its own process, then one table of their
 * scenarios (scenario, Attest, reference, ratio, p99, non-2xx). Exits 1 when any bench missed a target,
 * 2 when one could not run. Figures from a loaded machine are noisy: the load average is printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeLoad, printTable } from './lib.ts';
import type { SummaryRow } from './summary.ts';

const BENCHES = ['bench:trust', 'bench:api'];

const temp = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-all-'));
const summaryFile = path.join(temp, 'summary.jsonl');
let worst = 0;
try {
  for (const bench of BENCHES) {
    console.log(`\n=== npm run ${bench}`);
    const result = spawnSync('npm', ['run', '--silent', bench], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_SUMMARY_FILE: summaryFile },
    });
    worst = Math.max(worst, result.status ?? 2);
  }
  let rows: SummaryRow[] = [];
  try {
    rows = readFileSync(summaryFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SummaryRow);
  } catch {
    // no bench got far enough to report
  }
  console.log('');
  printTable(
    ['scenario', 'Attest req/s', 'reference req/s', 'reference', 'ratio', 'p99 ms', 'non-2xx', 'target'],
    rows.map((row) => [
      row.scenario,
      row.attest.toFixed(0),
      row.reference.toFixed(0),
      row.referenceName,
      row.ratio.toFixed(2),
      row.p99Ms.toFixed(1),
      String(row.non2xx),
      row.passed ? 'met' : 'MISSED',
    ]),
  );
  console.log(describeLoad('at the end'));
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exitCode = worst;
