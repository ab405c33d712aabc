import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Actor } from '../../core/http/actor.ts';
import { isLocale, translate } from '../../core/i18n/index.ts';
import { addTeamMessage } from '../reports/messages.service.ts';
import { findReportById } from '../reports/reports.store.ts';
import { rangeLabel } from './advisories.export.ts';
import { advisoryProblems } from './advisories.problems.ts';
import type { AdvisoryView, AffectedProduct } from './advisories.schemas.ts';
import { ADVISORY_TARGET, loadAdvisory, publisherOf, toView } from './advisories.service.ts';
import { type AdvisoryRow, updateAdvisoryRow } from './advisories.store.ts';

/** The draft as the researcher reads it in their conversation: plain text, in the report's language. */
export function sharedDraftText(locale: string, row: AdvisoryRow): string {
  const lang = isLocale(locale) ? locale : 'en';
  const t = (key: string, vars?: Record<string, unknown>) => translate(lang, `vdp-advisories:${key}`, vars);
  const affected = (row.affected as AffectedProduct[])
    .map((product) => {
      const versions = [...product.ranges.map(rangeLabel), ...product.versions].join(', ');
      return `- ${product.name} (${product.purl}): ${versions}`;
    })
    .join('\n');
  return [
    t('share.intro', { identifier: row.identifier }),
    `${t('share.title')}: ${row.title}`,
    row.cveId ? `CVE: ${row.cveId}` : '',
    row.summary ? `${t('share.summary')}: ${row.summary}` : '',
    affected ? `${t('share.affected')}:\n${affected}` : '',
    row.embargoUntil ? t('share.embargo', { date: row.embargoUntil.toISOString().slice(0, 10) }) : '',
    row.description ? `${t('share.description')}:\n${row.description}` : '',
    t('share.outro'),
  ]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * Shares a draft with the researcher of the linked report for comment: the draft's text is posted as a
 * team message in the report's conversation (which mails the researcher), and the advisory becomes
 * `shared`. Sharing again posts the current text again. Published advisories are not shared.
 */
export async function shareAdvisoryWithResearcher(
  ctx: AppContext,
  actor: Actor,
  advisoryId: string,
): Promise<AdvisoryView> {
  const publisher = await publisherOf(ctx, ctx.database.db);
  return ctx.database.db.transaction(async (tx) => {
    const before = await loadAdvisory(tx, advisoryId, true);
    if (before.status === 'published') throw advisoryProblems.published(before.identifier);
    const report = before.reportId ? await findReportById(tx, before.reportId) : undefined;
    if (!report) throw advisoryProblems.noReport(before.identifier);
    const messageId = await addTeamMessage(ctx, tx, actor, report, {
      body: sharedDraftText(report.locale, before),
      authorUserId: actor.type === 'user' ? actor.user.id : null,
    });
    const row =
      before.status === 'shared'
        ? before
        : ((await updateAdvisoryRow(tx, advisoryId, { status: 'shared' })) as AdvisoryRow);
    await recordAudit(tx, actor, {
      action: 'disclosure.advisory.shared',
      targetType: ADVISORY_TARGET,
      targetId: advisoryId,
      details: { identifier: row.identifier, reportId: report.id, reportNumber: report.number, messageId },
    });
    return toView(row, publisher);
  });
}
