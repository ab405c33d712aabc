import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Actor } from '../../core/http/actor.ts';
import { openReportContent, openReporter } from '../reports/reports.sealing.ts';
import { findReportById } from '../reports/reports.store.ts';
import { triageProblems } from '../triage/triage.problems.ts';
import type { AdvisoryDraft } from './advisories.schemas.ts';
import { creditedName } from './hall-of-fame.ts';

/**
 * "Create advisory from this report": the advisory's fields as the report already knows them: title,
 * CWE, CVSS vector, the asset as the affected product, and the researcher credited exactly as the hall
 * of fame credits them (their chosen name or handle; nobody when they chose to stay anonymous). The
 * description stays empty: a report's steps are confidential until someone decides what to publish.
 * Opening the sealed title and reporter is audited as a view of the report.
 */
export async function advisoryDraftFromReport(
  ctx: AppContext,
  actor: Actor,
  reportId: string,
): Promise<AdvisoryDraft> {
  return ctx.database.db.transaction(async (tx) => {
    const report = await findReportById(tx, reportId);
    if (!report) throw triageProblems.reportNotFound(reportId);
    const content = openReportContent(ctx.keyring, report.id, report.contentSealed);
    const credited = creditedName(
      report.creditPreference,
      openReporter(ctx.keyring, report.id, report.reporterSealed),
    );
    const vector = report.cvssVector ?? '';
    await recordAudit(tx, actor, {
      action: 'disclosure.report.viewed',
      targetType: 'disclosure_report',
      targetId: report.id,
      details: { number: report.number, purpose: 'advisory-draft' },
    });
    return {
      title: content.title,
      summary: '',
      description: '',
      cvssV3Vector: vector.startsWith('CVSS:3.') ? vector : null,
      cvssV4Vector: vector.startsWith('CVSS:4.0/') ? vector : null,
      cweIds: report.cweId ? [report.cweId] : [],
      affected: report.asset ? [{ name: report.asset, purl: '', ranges: [], versions: [] }] : [],
      credits: credited ? [{ name: credited, type: 'finder' as const }] : [],
      reportId: report.id,
      reportNumber: report.number,
    };
  });
}
