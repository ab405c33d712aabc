import { type Locale, type Page, type Query, request } from './api';

// ---------------------------------------------------------------------------
// Types mirroring the trust-center admin API (/api/v1/trust).
// ---------------------------------------------------------------------------

/** Text per locale; a missing locale falls back to the default one on the public site. */
export type Localized = Partial<Record<Locale, string>>;

export interface TrustProfile {
  companyName: string;
  summary: Localized;
  logoDataUrl: string | null;
  securityContact: string | null;
  defaultLocale: Locale;
  /** `#rrggbb`, or null for the default palette. */
  brandColor: string | null;
  updatedAt: string;
}

export type CertificationStatus = 'compliant' | 'in_progress' | 'planned';
export const CERTIFICATION_STATUSES: readonly CertificationStatus[] = ['compliant', 'in_progress', 'planned'];

export interface Certification {
  id: string;
  createdAt: string;
  name: string;
  status: CertificationStatus;
  auditor: string | null;
  obtainedOn: string | null;
  validUntil: string | null;
  description: Localized;
  /** The certificate document the public badge links to. */
  documentId: string | null;
  position: number;
}

export type SectionKind = 'narrative' | 'how_compliant' | 'out_of_compliance' | 'control_family';
export const SECTION_KINDS: readonly SectionKind[] = [
  'narrative',
  'how_compliant',
  'out_of_compliance',
  'control_family',
];
export type SectionStatus = 'implemented' | 'in_progress' | 'planned';
export const SECTION_STATUSES: readonly SectionStatus[] = ['implemented', 'in_progress', 'planned'];

export interface TrustSection {
  id: string;
  createdAt: string;
  kind: SectionKind;
  familyKey: string | null;
  title: Localized;
  body: Localized;
  status: SectionStatus | null;
  lastVerifiedOn: string | null;
  position: number;
}

export interface Faq {
  id: string;
  createdAt: string;
  question: Localized;
  answer: Localized;
  position: number;
}

export interface Subprocessor {
  id: string;
  createdAt: string;
  name: string;
  purpose: Localized;
  location: Localized;
  website: string | null;
  effectiveOn: string | null;
  removedOn: string | null;
  position: number;
}

export interface UpdateNote {
  id: string;
  createdAt: string;
  slug: string;
  title: Localized;
  body: Localized;
  publishedOn: string;
}

export interface PublicationStatus {
  publishedVersion: number | null;
  publishedAt: string | null;
  /** The draft says something the live site does not. */
  unpublishedChanges: boolean;
  liveUrl: string;
}

export interface Publication {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
}

export type AccessLevel = 'public' | 'request' | 'nda';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['public', 'request', 'nda'];
export type DocumentStatus = 'active' | 'scheduled' | 'expired' | 'archived';

export interface DocumentFile {
  id: string;
  locale: Locale | null;
  version: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  current: boolean;
  /** Stamped for the recipient on download: PDFs only. */
  watermarked: boolean;
  /** The stored bytes are not in the data folder: visitors get 404. */
  missing: boolean;
  uploadedBy: string | null;
  createdAt: string;
}

export const DOCUMENT_WARNINGS = ['gated-file-not-watermarked', 'file-missing'] as const;
export type DocumentWarning = (typeof DOCUMENT_WARNINGS)[number];

export interface TrustDocument {
  id: string;
  slug: string;
  title: Localized;
  description: Localized;
  accessLevel: AccessLevel;
  validFrom: string | null;
  validUntil: string | null;
  position: number;
  status: DocumentStatus;
  archivedAt: string | null;
  createdAt: string;
  currentFiles: DocumentFile[];
  warnings: DocumentWarning[];
}

export interface TrustDocumentDetail extends TrustDocument {
  files: DocumentFile[];
}

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

export interface AccessRequest {
  id: string;
  status: AccessRequestStatus;
  visitor: {
    id: string;
    name: string;
    email: string;
    company: string;
    locale: string;
    emailVerified: boolean;
  };
  reason: string;
  documentIds: string[];
  level: GrantLevel | null;
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
}

export type GrantStatus = 'active' | 'expired' | 'revoked';

export interface Grant {
  id: string;
  visitor: { id: string; name: string; email: string; company: string };
  requestId: string | null;
  documentIds: string[];
  level: GrantLevel | null;
  status: GrantStatus;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}

export interface ApproveInput {
  documentIds?: string[];
  level?: GrantLevel;
  expiresInDays?: number;
}

export interface DomainLists {
  allowDomains: string[];
  denyDomains: string[];
}

export interface NdaTemplate {
  id: string;
  locale: string;
  version: number;
  title: string;
  body: string;
  sha256: string;
  active: boolean;
  acceptances: number;
  createdAt: string;
}

export interface NdaExemption {
  id: string;
  domain: string;
  company: string;
  note: string | null;
  createdAt: string;
}

export interface Subscriber {
  id: string;
  email: string;
  locale: string;
  topics: string[];
  confirmed: boolean;
  createdAt: string;
}

export interface EventCounts {
  requested: number;
  granted: number;
  viewed: number;
  downloaded: number;
}

export interface AnalyticsSummary {
  from: string;
  to: string;
  byDocument: (EventCounts & { documentId: string; slug: string | null; title: Record<string, string> })[];
  byCompany: (EventCounts & { company: string })[];
}

export interface AnalyticsDay extends EventCounts {
  date: string;
}

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
