import { type Locale, type Page, type Query, request } from './api';
import type { ItemOf, ResponseOf } from './api-types';
import type { BulkResults } from './components/BulkSelection';

// ---------------------------------------------------------------------------
// Types of the triage API (/api/v1/disclosure): answers derived from the generated OpenAPI types.
// ---------------------------------------------------------------------------

export const REPORT_STATUSES = [
  'new',
  'triaged',
  'accepted',
  'fixing',
  'resolved',
  'disclosed',
  'duplicate',
  'out_of_scope',
  'informative',
  'not_applicable',
  'spam',
  'wont_fix',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Work in progress (the inbox's "open" filter); every other status is "closed". */
export const OPEN_STATUSES: readonly ReportStatus[] = ['new', 'triaged', 'accepted', 'fixing'];
/** Decisions that close a report without a fix: no first response is owed any more. */
export const CLOSING_STATUSES: readonly ReportStatus[] = [
  'duplicate',
  'out_of_scope',
  'informative',
  'not_applicable',
  'spam',
  'wont_fix',
];

export function isClosedStatus(status: ReportStatus): boolean {
  return !OPEN_STATUSES.includes(status);
}

export const REPORT_SUB_STATUSES = ['needs_more_info', 'retest'] as const;
export type ReportSubStatus = (typeof REPORT_SUB_STATUSES)[number];

export const REPORT_SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type ReportSeverity = (typeof REPORT_SEVERITIES)[number];

export type ReportSummary = ItemOf<ResponseOf<'/api/v1/disclosure/reports', 'get'>>;
export type ReportDetail = ResponseOf<'/api/v1/disclosure/reports/{reportId}', 'get'>;
export type UserRef = ItemOf<ResponseOf<'/api/v1/disclosure/assignees', 'get'>>;
export type ReportSla = ReportSummary['sla'];
export type SlaClockState = ReportSla['state'];
export type ReportMessage = ReportDetail['messages'][number];
export type MessageKind = ReportMessage['kind'];
export type ReportAttachment = ReportDetail['attachments'][number];
export type ReportEvent = ReportDetail['events'][number];
export type ReportRef = ReportDetail['duplicateCandidates'][number];
export type ReportReporter = NonNullable<ReportDetail['reporter']>;

export interface InboxFilters {
  status?: ReportStatus;
  subStatus?: ReportSubStatus;
  state?: 'open' | 'closed';
  asset?: string;
  severity?: ReportSeverity | 'unrated';
  /** A user id, `me` or `none` (unassigned). */
  assignee?: string;
  overdue?: boolean;
  outOfScope?: boolean;
  search?: string;
}

export interface TransitionInput {
  to: ReportStatus;
  /** Set, or with null clear, a sub-state; `to` may then be the current status. */
  subStatus?: ReportSubStatus | null;
  /** Shown to the researcher and included in the status mail. */
  message?: string;
  /** Required with to = duplicate: the original report, by id or number. */
  duplicateOf?: string | number;
}

export interface FirstResponseInput {
  assessment: string;
  /** YYYY-MM-DD. */
  expectedResolutionOn: string;
  status?: ReportStatus;
}

export interface ReportUpdate {
  assigneeId?: string | null;
  cvssVector?: string | null;
  severity?: ReportSeverity | null;
  cweId?: string | null;
  issueUrl?: string | null;
  asset?: string | null;
  category?: string | null;
}

export interface EraseReporterResult {
  report: ReportSummary;
  /** Other reports from the same address, which keep their reporter until erased too. */
  otherReports: { id: string; number: number }[];
}

export type CannedResponse = ItemOf<ResponseOf<'/api/v1/disclosure/canned-responses', 'get'>>;
export type TriageMetrics = ResponseOf<'/api/v1/disclosure/metrics', 'get'>;
export type MonthMetrics = TriageMetrics['totals'];
export type Durations = MonthMetrics['firstResponse'];

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

const BASE = '/disclosure';
const seg = encodeURIComponent;
const get = <T>(path: string, query?: Query) => request<T>('GET', `${BASE}${path}`, { query });
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', `${BASE}${path}`, { body });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', `${BASE}${path}`, { body });
const del = (path: string) => request<void>('DELETE', `${BASE}${path}`);

/** Booleans travel as 'true' / 'false'; unset filters are left out of the query. */
function inboxQuery(filters: InboxFilters, limit: number, cursor: string | null): Query {
  const flag = (value: boolean | undefined) => (value === undefined ? undefined : String(value));
  return {
    ...filters,
    overdue: flag(filters.overdue),
    outOfScope: flag(filters.outOfScope),
    limit,
    cursor,
  };
}

export const triageApi = {
  reports: (filters: InboxFilters, limit: number, cursor: string | null) =>
    get<Page<ReportSummary>>('/reports', inboxQuery(filters, limit, cursor)),
  report: (id: string) => get<ReportDetail>(`/reports/${seg(id)}`),
  /** The inbox with these filters as CSV (summary columns only); a plain link, so the browser downloads it. */
  reportsCsvUrl: (filters: InboxFilters) => {
    const params = new URLSearchParams();
    const { limit: _limit, cursor: _cursor, ...query } = inboxQuery(filters, 1, null);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    const qs = params.toString();
    return `/api/v1${BASE}/reports.csv${qs ? `?${qs}` : ''}`;
  },
  attachmentUrl: (reportId: string, attachmentId: string) =>
    `/api/v1${BASE}/reports/${seg(reportId)}/attachments/${seg(attachmentId)}`,
  // Writes answer the report's summary (its inbox row); messages and notes answer the message.
  /** Assign or transition several reports; one result per id (see components/BulkSelection). */
  bulk: (
    reportIds: string[],
    action: { type: 'assign'; assigneeId: string | null } | ({ type: 'transition' } & TransitionInput),
  ) => post<BulkResults>('/reports/bulk', { reportIds, action }),
  transition: (id: string, body: TransitionInput) =>
    post<ReportSummary>(`/reports/${seg(id)}/transition`, body),
  firstResponse: (id: string, body: FirstResponseInput) =>
    post<ReportSummary>(`/reports/${seg(id)}/first-response`, body),
  sendMessage: (id: string, body: string) => post<ReportMessage>(`/reports/${seg(id)}/messages`, { body }),
  addNote: (id: string, body: string) => post<ReportMessage>(`/reports/${seg(id)}/notes`, { body }),
  update: (id: string, body: ReportUpdate) => patch<ReportSummary>(`/reports/${seg(id)}`, body),
  eraseReporter: (id: string) => post<EraseReporterResult>(`/reports/${seg(id)}/erase-reporter`),

  /** Who a report can be assigned to: active owners, admins and security users. */
  assignees: () => get<{ items: UserRef[] }>('/assignees'),

  cannedResponses: (locale?: Locale) => get<{ items: CannedResponse[] }>('/canned-responses', { locale }),
  createCannedResponse: (body: { locale: Locale; title: string; body: string }) =>
    post<CannedResponse>('/canned-responses', body),
  updateCannedResponse: (id: string, body: Partial<{ locale: Locale; title: string; body: string }>) =>
    patch<CannedResponse>(`/canned-responses/${seg(id)}`, body),
  deleteCannedResponse: (id: string) => del(`/canned-responses/${seg(id)}`),

  metrics: (range: { from?: string; to?: string } = {}) => get<TriageMetrics>('/metrics', { ...range }),
};
