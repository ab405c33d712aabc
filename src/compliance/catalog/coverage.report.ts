import type { FrameworkCoverage } from './coverage.ts';

const percent = (covered: number, total: number) => `${Math.floor((covered / total) * 1000) / 10}%`;

/**
 * The text `attest catalog coverage` prints. `complete` is false when a requirement is left uncovered without
 * a reason in catalog/controls/uncovered.yaml: a gap nobody decided on.
 */
export function formatCoverage(coverage: FrameworkCoverage[]): { text: string; complete: boolean } {
  const width = Math.max(...coverage.map((entry) => entry.framework.length));
  const lines: string[] = [];
  let complete = true;
  for (const entry of coverage) {
    lines.push(
      `${entry.framework.padEnd(width)}  ${entry.covered}/${entry.total} requirements covered by at least one control (${percent(entry.covered, entry.total)})`,
    );
    for (const gap of entry.uncovered) {
      if (!gap.reason) complete = false;
      lines.push(
        `  uncovered ${gap.requirement}: ${gap.reason ?? 'NO REASON GIVEN (add it to catalog/controls/uncovered.yaml or map a control)'}`,
      );
    }
  }
  return { text: lines.join('\n'), complete };
}
