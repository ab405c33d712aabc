import type { Catalog } from './catalog.loader.ts';

export interface FrameworkCoverage {
  framework: string;
  total: number;
  covered: number;
  /** Requirements no control maps to, with the reason from uncovered.yaml (undefined: nobody explained it). */
  uncovered: { requirement: string; reason: string | undefined }[];
}

/** Per framework: how many requirements at least one control maps to, and the rest with their reasons. */
export function computeCoverage(catalog: Catalog): FrameworkCoverage[] {
  const mapped = new Set(
    catalog.controls.flatMap((control) => control.mappings.map((m) => `${m.framework} ${m.requirement}`)),
  );
  const reasons = new Map(
    catalog.uncovered.map((entry) => [`${entry.framework} ${entry.requirement}`, entry.reason]),
  );
  return catalog.frameworks.map((framework) => {
    const uncovered = framework.requirements
      .filter((requirement) => !mapped.has(`${framework.id} ${requirement.id}`))
      .map((requirement) => ({
        requirement: requirement.id,
        reason: reasons.get(`${framework.id} ${requirement.id}`),
      }));
    return {
      framework: framework.id,
      total: framework.requirements.length,
      covered: framework.requirements.length - uncovered.length,
      uncovered,
    };
  });
}
