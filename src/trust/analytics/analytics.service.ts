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
import { findPageViews, pageViewsOf } from './page-views.ts';

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

export type DocumentCounts = Counts & {
  documentId: string;
  slug: string | null;
  title: LocalizedText;
  pageViews: number;
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Page views of the range, pending in-memory counts written first so the admin sees every view. */
async function pageViewsIn(ctx: AppContext, range: Range) {
  await pageViewsOf(ctx).flush();
  return findPageViews(ctx.database.db, isoDay(range.from), isoDay(range.to));
}

const DOCUMENT_PAGE = '/documents/';
export type CompanyCounts = Counts & { company: string };

/** Requested / granted / viewed / downloaded per document and per company in the range, busiest first. */
export async function getAnalyticsSummary(ctx: AppContext, range: Range) {
  const q = ctx.database.db;
  const [byDoc, byCompany, names, views] = await Promise.all([
    countByDocument(q, range),
    countByCompany(q, range),
    findDocumentNames(q),
    pageViewsIn(ctx, range),
  ]);
  const documents = new Map<string, DocumentCounts>();
  const entryOf = (documentId: string) => {
    const name = names.find((doc) => doc.id === documentId);
    const entry = documents.get(documentId) ?? {
      documentId,
      slug: name?.slug ?? null,
      title: name?.title ?? {},
      pageViews: 0,
      ...zero(),
    };
    documents.set(documentId, entry);
    return entry;
  };
  for (const row of byDoc) {
    if (!row.documentId || !isCounted(row.type)) continue;
    entryOf(row.documentId)[row.type] += row.n;
  }
  const byPath = new Map<string, number>();
  for (const row of views) {
    byPath.set(row.path, (byPath.get(row.path) ?? 0) + row.views);
    // A document page's views sit beside that document's events.
    if (!row.path.startsWith(DOCUMENT_PAGE)) continue;
    const slug = row.path.slice(DOCUMENT_PAGE.length);
    const doc = names.find((d) => d.slug === slug);
    if (doc) entryOf(doc.id).pageViews += row.views;
  }
  const companies = new Map<string, CompanyCounts>();
  for (const row of byCompany) {
    if (!row.company || !isCounted(row.type)) continue;
    const entry = companies.get(row.company) ?? { company: row.company, ...zero() };
    entry[row.type] += row.n;
    companies.set(row.company, entry);
  }
  const busiest = (a: Counts, b: Counts) => b.downloaded - a.downloaded || b.requested - a.requested;
  const byPage = [...byPath]
    .map(([path, n]) => ({ path, views: n }))
    .sort((a, b) => b.views - a.views || a.path.localeCompare(b.path));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    byDocument: [...documents.values()].sort((a, b) => busiest(a, b) || b.pageViews - a.pageViews),
    byPage,
    byCompany: [...companies.values()].sort((a, b) => busiest(a, b) || a.company.localeCompare(b.company)),
  };
}

/** One point per UTC day of the range (zeros included), for the chart. */
export async function getAnalyticsTimeseries(ctx: AppContext, range: Range & { days: string[] }) {
  const points = new Map(range.days.map((date) => [date, { date, pageViews: 0, ...zero() }]));
  const [events, views] = await Promise.all([countByDay(ctx.database.db, range), pageViewsIn(ctx, range)]);
  for (const row of events) {
    const point = points.get(row.day);
    if (point && isCounted(row.type)) point[row.type] += row.n;
  }
  for (const row of views) {
    const point = points.get(row.day);
    if (point) point.pageViews += row.views;
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
