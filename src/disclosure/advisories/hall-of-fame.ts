import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import { openReporter } from '../reports/reports.sealing.ts';
import type { HallOfFameYear } from './advisories.pages.ts';
import { type CreditedReport, findCreditedReports } from './advisories.store.ts';

/** The name a researcher chose to be credited under: their handle or their name, whichever they asked for. */
export function creditedName(
  preference: string,
  reporter: { name?: string; handle?: string },
): string | undefined {
  const name = reporter.name?.trim();
  const handle = reporter.handle?.trim();
  if (preference === 'anonymous') return undefined;
  return preference === 'handle' ? handle || name : name || handle;
}

/** The year a report counts for: when it was resolved, else when it was disclosed (UTC). */
function yearOf(report: CreditedReport): number | undefined {
  return (report.resolvedAt ?? report.disclosedAt)?.getUTCFullYear();
}

/**
 * The hall of fame: researchers of resolved or disclosed reports who consented to be credited (not
 * anonymous, not erased), grouped by year, newest first, each name once a year, in alphabetical order.
 */
export async function hallOfFame(ctx: AppContext, q: Queryable): Promise<HallOfFameYear[]> {
  const byYear = new Map<number, Set<string>>();
  for (const report of await findCreditedReports(q)) {
    const year = yearOf(report);
    const name = creditedName(
      report.creditPreference,
      openReporter(ctx.keyring, report.id, report.reporterSealed),
    );
    if (year === undefined || !name) continue;
    byYear.set(year, (byYear.get(year) ?? new Set()).add(name));
  }
  return [...byYear.entries()]
    .sort(([a], [b]) => b - a)
    .map(([year, names]) => ({ year, names: [...names].sort((a, b) => a.localeCompare(b)) }));
}
