import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/compliance/catalog/catalog.loader.ts';
import { formatCoverage } from '../../../src/compliance/catalog/coverage.report.ts';
import { computeCoverage } from '../../../src/compliance/catalog/coverage.ts';

const catalog = loadCatalog();
const coverage = computeCoverage(catalog);
const of = (id: string) => {
  const found = coverage.find((entry) => entry.framework === id);
  if (!found) throw new Error(`no coverage for ${id}`);
  return found;
};

describe('coverage of the common control set', () => {
  it('covers every ISO/IEC 27001:2022 Annex A control and clause, and every SOC 2 criterion', () => {
    expect(of('iso27001-2022')).toMatchObject({ total: 118, covered: 118, uncovered: [] });
    expect(of('soc2-2017')).toMatchObject({ total: 61, covered: 61, uncovered: [] });
  });

  it('leaves out only requirements with a recorded reason, and records no reason for a covered one', () => {
    for (const entry of coverage)
      for (const gap of entry.uncovered)
        expect(gap.reason, `${entry.framework} ${gap.requirement}`).toBeTruthy();
    const left = new Set(coverage.flatMap((e) => e.uncovered.map((g) => `${e.framework} ${g.requirement}`)));
    const stale = catalog.uncovered.filter((u) => !left.has(`${u.framework} ${u.requirement}`));
    expect(stale).toEqual([]);
    expect(of('hipaa-security').uncovered.map((g) => g.requirement)).toEqual([
      '164.308(a)(4)(ii)(A)',
      '164.314(a)(2)(ii)',
      '164.314(b)(1)',
      '164.314(b)(2)',
    ]);
  });

  it('counts a requirement as uncovered once its last mapping is gone', () => {
    const without = {
      ...catalog,
      controls: catalog.controls.map((c) => ({
        ...c,
        mappings: c.mappings.filter((m) => !(m.framework === 'soc2-2017' && m.requirement === 'A1.1')),
      })),
    };
    expect(of('soc2-2017').uncovered).toEqual([]);
    const soc2 = computeCoverage(without).find((e) => e.framework === 'soc2-2017');
    expect(soc2).toMatchObject({ covered: 60, uncovered: [{ requirement: 'A1.1', reason: undefined }] });
    const report = formatCoverage(soc2 ? [soc2] : []);
    expect(report.complete).toBe(false);
    expect(report.text).toContain('uncovered A1.1: NO REASON GIVEN');
  });
});

describe('attest catalog coverage', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'bin/attest.js'), 'catalog', 'coverage', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 60_000,
    });

  it('prints per framework the requirements covered and the uncovered ones with their reason', () => {
    const result = run();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^iso27001-2022 +118\/118 requirements covered by at least one control \(100%\)$/m,
    );
    expect(result.stdout).toMatch(/^soc2-2017 +61\/61 /m);
    expect(result.stdout).toMatch(
      /^hipaa-security +61\/65 .*\n {2}uncovered 164\.308\(a\)\(4\)\(ii\)\(A\): Applies only/m,
    );
  });

  it('filters by framework, prints JSON, and refuses an unknown framework with exit code 2', () => {
    const json = run('--framework', 'ccpa', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([{ framework: 'ccpa', total: 27, covered: 25 }]);
    const unknown = run('--framework', 'pci-dss');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown framework "pci-dss"');
  });
});
