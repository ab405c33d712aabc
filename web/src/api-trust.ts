import { type Locale, type Page, type Query, request } from './api';
import type { ItemOf, ResponseOf } from './api-types';
import type { BulkResults } from './components/BulkSelection';

// ---------------------------------------------------------------------------
// Types of the trust-center admin API (/api/v1/trust): answers derived from the generated OpenAPI types.
// ---------------------------------------------------------------------------

/** Text per locale; a missing locale falls back to the default one on the public site. */
export type Localized = Partial<Record<Locale, string>>;

export type TrustProfile = ResponseOf<'/api/v1/trust/profile', 'get'>;

export type CertificationStatus = 'compliant' | 'in_progress' | 'planned';
export const CERTIFICATION_STATUSES: readonly CertificationStatus[] = ['compliant', 'in_progress', 'planned'];

export type Certification = ItemOf<ResponseOf<'/api/v1/trust/certifications', 'get'>>;

export type SectionKind = 'narrative' | 'how_compliant' | 'out_of_compliance' | 'control_family';
export const SECTION_KINDS: readonly SectionKind[] = [
  'narrative',
  'how_compliant',
  'out_of_compliance',
  'control_family',
];
export type SectionStatus = 'implemented' | 'in_progress' | 'planned';
export const SECTION_STATUSES: readonly SectionStatus[] = ['implemented', 'in_progress', 'planned'];

export type TrustSection = ItemOf<ResponseOf<'/api/v1/trust/sections', 'get'>>;

export type Faq = ItemOf<ResponseOf<'/api/v1/trust/faqs', 'get'>>;

export type Subprocessor = ItemOf<ResponseOf<'/api/v1/trust/subprocessors', 'get'>>;

export type UpdateNote = ItemOf<ResponseOf<'/api/v1/trust/updates', 'get'>>;

export type PublicationStatus = ResponseOf<'/api/v1/trust/publication-status', 'get'>;

export type Publication = ItemOf<ResponseOf<'/api/v1/trust/publications', 'get'>>;

export type AccessLevel = 'public' | 'request' | 'nda';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['public', 'request', 'nda'];
export type DocumentStatus = 'active' | 'scheduled' | 'expired' | 'archived';

export type DocumentFile = TrustDocumentDetail['files'][number];

export const DOCUMENT_WARNINGS = ['gated-file-not-watermarked', 'file-missing'] as const;
export type DocumentWarning = (typeof DOCUMENT_WARNINGS)[number];

export type TrustDocument = ItemOf<ResponseOf<'/api/v1/trust/documents', 'get'>>;

export type TrustDocumentDetail = ResponseOf<'/api/v1/trust/documents/{documentId}', 'get'>;

export interface DocumentInput {
  slug: string;
  title: Localized;
  description?: Localized;
  accessLevel: AccessLevel;
  validFrom?: string | null;
  validUntil?: string | null;
}

export type AccessRequestStatus = 'unconfirmed' | 'pending' | 'approved' | 'denied';
export const ACCESS_REQUEST_STATUSES: readonly AccessRequestStatus[] = [
  'pending',
  'unconfirmed',
  'approved',
  'denied',
];
export type GrantLevel = 'request' | 'nda';

export type AccessRequest = ItemOf<ResponseOf<'/api/v1/trust/access-requests', 'get'>>;

export type GrantStatus = 'active' | 'expired' | 'revoked';

export type Grant = ItemOf<ResponseOf<'/api/v1/trust/grants', 'get'>>;

export interface ApproveInput {
  documentIds?: string[];
  level?: GrantLevel;
  expiresInDays?: number;
}

export interface DomainLists {
  allowDomains: string[];
  denyDomains: string[];
}

export type NdaTemplate = ItemOf<ResponseOf<'/api/v1/trust/nda-templates', 'get'>>;

export type NdaExemption = ItemOf<ResponseOf<'/api/v1/trust/nda-exemptions', 'get'>>;

export type Subscriber = ItemOf<ResponseOf<'/api/v1/trust/subscribers', 'get'>>;

export interface EventCounts {
  requested: number;
  granted: number;
  viewed: number;
  downloaded: number;
}

export type AnalyticsSummary = ResponseOf<'/api/v1/trust/analytics/summary', 'get'>;

export type AnalyticsDay = ResponseOf<'/api/v1/trust/analytics/timeseries', 'get'>['days'][number];

export interface DayRange {
  from?: string;
  to?: string;
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

const BASE = '/trust';
const seg = encodeURIComponent;
const get = <T>(path: string, query?: Query) => request<T>('GET', `${BASE}${path}`, { query });

/** Told after every successful write under /trust, so "unpublished changes" can look again. */
const draftListeners = new Set<() => void>();
export function onTrustWrite(listener: () => void): () => void {
  draftListeners.add(listener);
  return () => draftListeners.delete(listener);
}
const written = <T>(result: Promise<T>) =>
  result.then((value) => {
    for (const listener of draftListeners) listener();
    return value;
  });
const post = <T>(path: string, body: unknown = {}) => written(request<T>('POST', `${BASE}${path}`, { body }));
const patch = <T>(path: string, body: unknown) => written(request<T>('PATCH', `${BASE}${path}`, { body }));
const put = <T>(path: string, body: unknown) => written(request<T>('PUT', `${BASE}${path}`, { body }));
const del = (path: string) => written(request<void>('DELETE', `${BASE}${path}`));

/** The CRUD endpoints of one content collection (certifications, sections, FAQ, subprocessors, updates). */
function collection<T extends { id: string }>(path: string) {
  return {
    list: () => get<{ items: T[] }>(path),
    create: (body: Record<string, unknown>) => post<T>(path, body),
    update: (id: string, body: Record<string, unknown>) => patch<T>(`${path}/${seg(id)}`, body),
    remove: (id: string) => del(`${path}/${seg(id)}`),
    reorder: (ids: string[]) => put<{ items: T[] }>(`${path}/order`, { ids }),
  };
}
export type CollectionApi<T extends { id: string }> = ReturnType<typeof collection<T>>;

export interface OffsetQuery {
  limit?: number;
  cursor?: string | null;
}

export const trustApi = {
  // Content
  profile: () => get<TrustProfile>('/profile'),
  updateProfile: (
    body: Partial<Omit<TrustProfile, 'updatedAt' | 'logoDataUrl'>> & { logo?: string | null },
  ) => patch<TrustProfile>('/profile', body),
  certifications: collection<Certification>('/certifications'),
  sections: collection<TrustSection>('/sections'),
  faqs: collection<Faq>('/faqs'),
  subprocessors: collection<Subprocessor>('/subprocessors'),
  updates: collection<UpdateNote>('/updates'),
  publish: () => post<{ version: number; publishedAt: string }>('/publish'),
  publications: () => get<{ items: Publication[] }>('/publications'),
  publicationStatus: () => get<PublicationStatus>('/publication-status'),
  previewUrl: (locale: Locale) => `/api/v1${BASE}/preview/${seg(locale)}`,

  // Documents
  documents: (q: OffsetQuery & { q?: string; accessLevel?: AccessLevel | ''; archived?: 'true' | 'false' }) =>
    get<Page<TrustDocument>>('/documents', { ...q }),
  document: (id: string) => get<TrustDocumentDetail>(`/documents/${seg(id)}`),
  createDocument: (body: DocumentInput) => post<TrustDocumentDetail>('/documents', body),
  updateDocument: (id: string, body: Partial<DocumentInput>) =>
    patch<TrustDocumentDetail>(`/documents/${seg(id)}`, body),
  archiveDocument: (id: string) => post<TrustDocumentDetail>(`/documents/${seg(id)}/archive`),
  uploadDocumentFile: (id: string, file: File, locale: Locale | null) => {
    const form = new FormData();
    // Fields before the file: the server reads the parts in order.
    if (locale) form.append('locale', locale);
    form.append('file', file, file.name);
    return request<DocumentFile>('POST', `${BASE}/documents/${seg(id)}/files`, { body: form });
  },
  documentFileUrl: (documentId: string, fileId: string) =>
    `/api/v1${BASE}/documents/${seg(documentId)}/files/${seg(fileId)}`,

  // Access requests and grants
  accessRequests: (q: OffsetQuery & { status?: AccessRequestStatus | ''; search?: string }) =>
    get<Page<AccessRequest>>('/access-requests', { ...q }),
  /** Approve (as requested) or deny several requests; one result per id. */
  bulkDecideRequests: (requestIds: string[], action: { type: 'approve' } | { type: 'deny' }) =>
    post<BulkResults>('/access-requests/bulk', { requestIds, action }),
  approveRequest: (id: string, body: ApproveInput) =>
    post<{ request: AccessRequest; grant: Grant }>(`/access-requests/${seg(id)}/approve`, body),
  denyRequest: (id: string, note?: string) =>
    post<AccessRequest>(`/access-requests/${seg(id)}/deny`, note ? { note } : {}),
  grants: (q: OffsetQuery & { status?: GrantStatus | '' }) => get<Page<Grant>>('/grants', { ...q }),
  revokeGrant: (id: string) =>
    post<{ id: string; status: GrantStatus; revokedAt: string }>(`/grants/${seg(id)}/revoke`),
  domainLists: () => get<DomainLists>('/domain-lists'),
  updateDomainLists: (body: DomainLists) => put<DomainLists>('/domain-lists', body),

  // NDA
  ndaTemplates: (locale?: Locale) => get<{ items: NdaTemplate[] }>('/nda-templates', { locale }),
  createNdaTemplate: (body: { locale: Locale; title: string; body: string }) =>
    post<NdaTemplate>('/nda-templates', body),
  updateNdaTemplate: (id: string, body: { title?: string; body?: string; active?: boolean }) =>
    patch<NdaTemplate>(`/nda-templates/${seg(id)}`, body),
  ndaExemptions: () => get<{ items: NdaExemption[] }>('/nda-exemptions'),
  createNdaExemption: (body: { domain: string; company: string; note?: string }) =>
    post<NdaExemption>('/nda-exemptions', body),
  deleteNdaExemption: (id: string) => del(`/nda-exemptions/${seg(id)}`),

  // Subscribers
  subscribers: (q: OffsetQuery) => get<Page<Subscriber>>('/subscribers', { ...q }),
  deleteSubscriber: (id: string) => del(`/subscribers/${seg(id)}`),

  // Analytics
  analyticsSummary: (range: DayRange) => get<AnalyticsSummary>('/analytics/summary', { ...range }),
  analyticsTimeseries: (range: DayRange) =>
    get<{ days: AnalyticsDay[] }>('/analytics/timeseries', { ...range }),
  analyticsCsvUrl: (range: DayRange) => {
    const params = new URLSearchParams();
    if (range.from) params.set('from', range.from);
    if (range.to) params.set('to', range.to);
    const qs = params.toString();
    return `/api/v1${BASE}/analytics/events.csv${qs ? `?${qs}` : ''}`;
  },
};
