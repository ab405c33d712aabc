import type { AppContext } from '../../core/context.ts';
import { problems } from '../../core/http/problem.ts';
import { toCsaf } from '../exports/export-csaf.ts';
import { toCve5 } from '../exports/export-cve5.ts';
import { toGithubAdvisory } from '../exports/export-github.ts';
import { toOsv } from '../exports/export-osv.ts';
import type { AdvisoryData, Publisher } from './advisories.export.ts';
import { advisoryProblems } from './advisories.problems.ts';
import type { ExportFormat } from './advisories.schemas.ts';
import { advisoryData, loadAdvisory, missingForPublication } from './advisories.service.ts';

export type ExportedFile = { fileName: string; document: unknown };

/** One advisory in one of the four formats; a pure function of the advisory and its publisher. */
export function renderExport(
  format: ExportFormat,
  advisory: AdvisoryData,
  publisher: Publisher,
): ExportedFile {
  const base = advisory.identifier.toLowerCase();
  switch (format) {
    case 'osv':
      return { fileName: `${base}.osv.json`, document: toOsv(advisory, publisher) };
    case 'csaf':
      return { fileName: `${base}.csaf.json`, document: toCsaf(advisory, publisher) };
    case 'cve5':
      return { fileName: `${advisory.cveId ?? base}.cve5.json`, document: toCve5(advisory, publisher) };
    case 'github':
      return { fileName: `${base}.github.json`, document: toGithubAdvisory(advisory) };
  }
}

/**
 * Exports an advisory in any state (drafts too, to review or to file elsewhere). A CVE record needs the
 * CVE id, the CNA's organisation id and the fields a CNA must give (a description and a product).
 */
export async function exportAdvisory(
  ctx: AppContext,
  advisoryId: string,
  format: ExportFormat,
  options: { cnaOrgId?: string } = {},
): Promise<ExportedFile> {
  const q = ctx.database.db;
  const row = await loadAdvisory(q, advisoryId);
  if (format === 'cve5') {
    if (!row.cveId) throw advisoryProblems.cveIdMissing(row.identifier);
    if (!options.cnaOrgId) {
      throw problems.validation([
        { in: 'querystring', pointer: '/cnaOrgId', detail: 'the CNA organisation UUID is required for cve5' },
      ]);
    }
    const missing = missingForPublication(row);
    if (missing.length > 0) throw advisoryProblems.incomplete(row.identifier, missing);
  }
  // A published advisory exports its latest frozen revision: the CSAF file exactly as served and signed.
  const { advisory, publisher, frozen } = await advisoryData(ctx, q, row);
  const rendered = renderExport(format, advisory, { ...publisher, cnaOrgId: options.cnaOrgId });
  return format === 'csaf' && frozen ? { ...rendered, document: JSON.parse(frozen.csaf) } : rendered;
}
