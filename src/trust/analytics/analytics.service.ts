import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { toCsv } from '../../core/csv.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import type { LocalizedText } from '../tables.ts';
import {
  COUNTED_TYPES,
  type CountedType,
  countByCompany,
  countByDay,
  countByDocument,
  findDocumentNames,
  findEventsWithNames,
  type Range,
} from './analytics.store.ts';

export type Counts = Record<CountedType, number>;

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
/** A CSV export holds at most this many events; narrow the dates for more. */
export const MAX_EXPORT_ROWS = 100_000;

const zero = (): Counts => ({ requested: 0, granted: 0, viewed: 0, downloaded: 0 });

/**
 * The UTC days from `from` to `to` (both YYYY-MM-DD, inclusive) as a half-open time range. Defaults to
 * the last 30 days; a reversed range or one longer than a year is a 422.
 */
export function dayRange(
  input: { from?: string; to?: string },
  now = new Date(),
): Range & { days: string[] } {
  const to = input.to ? new Date(`${input.to}T00:00:00Z`) : new Date(now.toISOString().slice(0, 10));
  const from = input.from ? new Date(`${input.from}T00:00:00Z`) : new Date(to.getTime() - 29 * DAY_MS);
  const span = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
  if (span < 1 || span > MAX_DAYS) {
    throw problems.validation([
      {
        in: 'querystring',
        pointer: '/from',
        detail: `from must be on or before to, at most ${MAX_DAYS} days apart`,
      },
    ]);
  }
  const days = Array.from({ length: span }, (_, i) =>
    new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10),
  );
  return { from, to: new Date(to.getTime() + DAY_MS), days };
}

function isCounted(type: string): type is CountedType {
  return (COUNTED_TYPES as readonly string[]).includes(type);
}

export type DocumentCounts = Counts & { documentId: string; slug: string | null; title: LocalizedText };
export type CompanyCounts = Counts & { company: string };

/** Requested / granted / viewed / downloaded per document and per company in the range, busiest first. */
export async function getAnalyticsSummary(ctx: AppContext, range: Range) {
  const q = ctx.database.db;
  const [byDoc, byCompany, names] = await Promise.all([
    countByDocument(q, range),
    countByCompany(q, range),
    findDocumentNames(q),
  ]);
  const documents = new Map<string, DocumentCounts>();
  for (const row of byDoc) {
    if (!row.documentId || !isCounted(row.type)) continue;
    const name = names.find((doc) => doc.id === row.documentId);
    const entry = documents.get(row.documentId) ?? {
      documentId: row.documentId,
      slug: name?.slug ?? null,
      title: name?.title ?? {},
      ...zero(),
    };
    entry[row.type] += row.n;
    documents.set(row.documentId, entry);
  }
  const companies = new Map<string, CompanyCounts>();
  for (const row of byCompany) {
    if (!row.company || !isCounted(row.type)) continue;
    const entry = companies.get(row.company) ?? { company: row.company, ...zero() };
    entry[row.type] += row.n;
    companies.set(row.company, entry);
  }
  const busiest = (a: Counts, b: Counts) => b.downloaded - a.downloaded || b.requested - a.requested;
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    byDocument: [...documents.values()].sort(busiest),
    byCompany: [...companies.values()].sort((a, b) => busiest(a, b) || a.company.localeCompare(b.company)),
  };
}

/** One point per UTC day of the range (zeros included), for the chart. */
export async function getAnalyticsTimeseries(ctx: AppContext, range: Range & { days: string[] }) {
  const points = new Map(range.days.map((date) => [date, { date, ...zero() }]));
  for (const row of await countByDay(ctx.database.db, range)) {
    const point = points.get(row.day);
    if (point && isCounted(row.type)) point[row.type] += row.n;
  }
  return { days: [...points.values()] };
}

const CSV_HEADER = [
  'time_utc',
  'event',
  'company',
  'visitor_name',
  'visitor_email',
  'document',
  'download_id',
  'locale',
  'ip',
];

/** Every event of the range as CSV (who did what to which document, when); the export is audited. */
export async function exportAnalyticsCsv(ctx: AppContext, actor: Actor, range: Range): Promise<string> {
  const rows = await findEventsWithNames(ctx.database.db, range, MAX_EXPORT_ROWS);
  await recordAudit(ctx.database.db, actor, {
    action: 'trust.analytics.exported',
    details: { from: range.from.toISOString(), to: range.to.toISOString(), rows: rows.length },
  });
  return toCsv([
    CSV_HEADER,
    ...rows.map((row) => [
      row.occurredAt.toISOString(),
      row.type,
      row.company,
      row.visitorName,
      row.visitorEmail,
      row.documentSlug,
      row.downloadId,
      row.locale,
      row.ip,
    ]),
  ]);
}
