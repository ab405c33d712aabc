import type { Command } from 'commander';
import { z } from 'zod';
import { CliError } from './cli-error.ts';
import { parseOptions, print } from './runtime.ts';

const CoverageOptions = z.strictObject({
  framework: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
  json: z.boolean().optional(),
});

/**
 * `attest catalog coverage`: per framework, how many requirements Attest's common controls cover, and the
 * uncovered ones with the reason the default set leaves them out. Reads the catalog/ files only (no database),
 * so it runs in CI: exit 1 when a requirement is uncovered with no reason given.
 */
export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('The compliance catalog: frameworks and common controls');

  catalog
    .command('coverage')
    .description(
      'Show how many requirements of each framework the common controls cover, and which they leave out',
    )
    .option('--framework <id>', 'only this framework, e.g. iso27001-2022')
    .option('--json', 'print JSON instead of text')
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(CoverageOptions, options);
      const { bundledCatalog, computeCoverage } = await import('../compliance/index.ts');
      const { formatCoverage } = await import('../compliance/catalog/coverage.report.ts');
      const catalogData = bundledCatalog();
      let coverage = computeCoverage(catalogData);
      if (input.framework) {
        coverage = coverage.filter((entry) => entry.framework === input.framework);
        if (coverage.length === 0)
          throw new CliError(
            `unknown framework "${input.framework}"; known: ${catalogData.frameworks.map((f) => f.id).join(', ')}`,
            2,
          );
      }
      const report = formatCoverage(coverage);
      print(input.json ? JSON.stringify(coverage, null, 2) : report.text);
      if (!report.complete) process.exitCode = 1;
    });
}
