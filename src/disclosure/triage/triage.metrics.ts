import { TZDate } from '@date-fns/tz';
import type { AppContext } from '../../core/context.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { triageProblems } from './triage.problems.ts';
import type { MetricsView } from './triage.schemas.ts';
import { countOpenByStatus, findMetricRows } from './triage.store.ts';
import { firstResponseVerdict } from './triage.views.ts';

/**
 * The metrics page: per month of receipt (in the program's time zone), how many reports came, how long
 * the first response, triage and resolution took (hours from receipt: median and average), and the
 * share of first responses within the SLA. Aggregates only: nothing sealed is opened, so not audited.
 */

const HOUR_MS = 3_600_000;
/** Longest range one call covers, so a request cannot make the server bucket decades. */
export const MAX_METRIC_MONTHS = 60;

type Row = Awaited<ReturnType<typeof findMetricRows>>[number];
type Month = MetricsView['totals'];

function monthKey(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(date);
}

function parseMonth(key: string): { year: number; month: number } {
  const [year, month] = key.split('-').map(Number);
  return { year: year as number, month: month as number };
}

function shiftMonth(key: string, by: number): string {
  const { year, month } = parseMonth(key);
  const index = year * 12 + (month - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function monthsBetween(from: string, to: string): number {
  const a = parseMonth(from);
  const b = parseMonth(to);
  return (b.year - a.year) * 12 + (b.month - a.month) + 1;
}

/** Hours to the nearest 36 seconds: a team that answers within minutes must not read "0 h". */
const roundHours = (value: number) => Math.round(value * 1000) / 1000;

function durations(hours: number[]): Month['firstResponse'] {
  if (hours.length === 0) return { count: 0, medianHours: null, averageHours: null };
  const sorted = [...hours].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const average = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, medianHours: roundHours(median), averageHours: roundHours(average) };
}

function hoursTo(rows: Row[], step: 'firstResponseAt' | 'triagedAt' | 'resolvedAt'): number[] {
  return rows.flatMap((row) => {
    const at = row[step];
    return at ? [(at.getTime() - row.receivedAt.getTime()) / HOUR_MS] : [];
  });
}

function aggregate(rows: Row[], now: Date): Month {
  let counted = 0;
  let withinSla = 0;
  for (const row of rows) {
    const verdict = firstResponseVerdict(row, now);
    if (verdict === 'met' || verdict === 'missed') counted += 1;
    if (verdict === 'met') withinSla += 1;
  }
  return {
    received: rows.length,
    firstResponse: durations(hoursTo(rows, 'firstResponseAt')),
    triage: durations(hoursTo(rows, 'triagedAt')),
    resolution: durations(hoursTo(rows, 'resolvedAt')),
    sla: {
      counted,
      withinSla,
      share: counted === 0 ? null : Math.round((withinSla / counted) * 1000) / 1000,
    },
  };
}

/** GET /metrics?from=YYYY-MM&to=YYYY-MM (default: the last 12 months, this one included). */
export async function computeMetrics(
  ctx: AppContext,
  query: { from?: string; to?: string },
  now = new Date(),
): Promise<MetricsView> {
  const db = ctx.database.db;
  const { timeZone } = (await getPublishedProgram(ctx)).source;
  const to = query.to ?? monthKey(now, timeZone);
  const from = query.from ?? shiftMonth(to, -11);
  const span = monthsBetween(from, to);
  if (span < 1) throw triageProblems.field('/from', 'from must not be after to');
  if (span > MAX_METRIC_MONTHS)
    throw triageProblems.field('/from', `at most ${MAX_METRIC_MONTHS} months at once`);

  const start = parseMonth(from);
  const end = parseMonth(shiftMonth(to, 1));
  const rows = await findMetricRows(
    db,
    new Date(new TZDate(start.year, start.month - 1, 1, timeZone).getTime()),
    new Date(new TZDate(end.year, end.month - 1, 1, timeZone).getTime()),
  );
  const byMonth = new Map<string, Row[]>();
  for (const row of rows) {
    const key = monthKey(row.receivedAt, timeZone);
    byMonth.set(key, [...(byMonth.get(key) ?? []), row]);
  }
  const months = Array.from({ length: span }, (_, index) => {
    const month = shiftMonth(from, index);
    return { month, ...aggregate(byMonth.get(month) ?? [], now) };
  });

  const openByStatus = { new: 0, triaged: 0, accepted: 0, fixing: 0 };
  const waiting = { needsMoreInfo: 0, retest: 0 };
  for (const group of await countOpenByStatus(db)) {
    const n = Number(group.n);
    if (group.status in openByStatus) openByStatus[group.status as keyof typeof openByStatus] += n;
    if (group.subStatus === 'needs_more_info') waiting.needsMoreInfo += n;
    if (group.subStatus === 'retest') waiting.retest += n;
  }
  return { from, to, timeZone, months, totals: aggregate(rows, now), openByStatus, waiting };
}
