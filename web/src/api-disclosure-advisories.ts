import { type Page, request } from './api';

// ---------------------------------------------------------------------------
// Types mirroring the advisories API (/api/v1/disclosure/advisories).
// ---------------------------------------------------------------------------

export type AdvisoryStatus = 'draft' | 'shared' | 'published';
export const ADVISORY_STATUSES: readonly AdvisoryStatus[] = ['draft', 'shared', 'published'];

export const CREDIT_TYPES = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation_developer',
  'remediation_reviewer',
  'remediation_verifier',
  'tool',
  'sponsor',
  'other',
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export const EXPORT_FORMATS = ['osv', 'csaf', 'cve5', 'github'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface VersionRange {
  introduced: string;
  fixed?: string;
  lastAffected?: string;
}

export interface AffectedProduct {
  name: string;
  purl: string;
  ranges: VersionRange[];
  versions: string[];
}

export interface Credit {
  name: string;
  type: CreditType;
  githubLogin?: string;
}

export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssScore {
  vector: string;
  baseScore: number;
  baseSeverity: Severity;
}

export interface Advisory {
  id: string;
  identifier: string;
  cveId: string | null;
  status: AdvisoryStatus;
  title: string;
  summary: string;
  description: string;
  affected: AffectedProduct[];
  cvssV3: CvssScore | null;
  cvssV4: CvssScore | null;
  cweIds: string[];
  credits: Credit[];
  references: string[];
  reportId: string | null;
  embargoUntil: string | null;
  publishedAt: string | null;
  revision: number;
  publicUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AdvisoryInput {
  title: string;
  summary: string;
  description: string;
  cveId: string | null;
  affected: AffectedProduct[];
  cvssV3Vector: string | null;
  cvssV4Vector: string | null;
  cweIds: string[];
  credits: Credit[];
  references: string[];
  reportId: string | null;
  embargoUntil: string | null;
  /** Published advisories only: what this revision changed. */
  revisionSummary?: string;
}

// ---------------------------------------------------------------------------
/** An advisory's fields proposed from a report (GET /disclosure/reports/{id}/advisory-draft); not stored. */
export interface AdvisoryDraft {
  title: string;
  summary: string;
  description: string;
  cvssV3Vector: string | null;
  cvssV4Vector: string | null;
  cweIds: string[];
  affected: AffectedProduct[];
  credits: Credit[];
  reportId: string;
  reportNumber: number;
}

// Endpoints
// ---------------------------------------------------------------------------

const BASE = '/disclosure/advisories';
const seg = encodeURIComponent;

export const advisoriesApi = {
  list: (q: { limit?: number; cursor?: string | null; q?: string; status?: AdvisoryStatus | '' }) =>
    request<Page<Advisory>>('GET', BASE, { query: { ...q } }),
  get: (id: string) => request<Advisory>('GET', `${BASE}/${seg(id)}`),
  create: (body: AdvisoryInput) => request<Advisory>('POST', BASE, { body }),
  update: (id: string, body: Partial<AdvisoryInput>) =>
    request<Advisory>('PATCH', `${BASE}/${seg(id)}`, { body }),
  remove: (id: string) => request<void>('DELETE', `${BASE}/${seg(id)}`),
  draftFromReport: (reportId: string) =>
    request<AdvisoryDraft>('GET', `/disclosure/reports/${seg(reportId)}/advisory-draft`),
  share: (id: string) => request<Advisory>('POST', `${BASE}/${seg(id)}/share`),
  publish: (id: string, force = false) =>
    request<Advisory>('POST', `${BASE}/${seg(id)}/publish`, { body: { force } }),
  /** A download link (the session cookie authenticates it); cve5 needs the CNA organisation UUID. */
  exportUrl: (id: string, format: ExportFormat, cnaOrgId?: string) => {
    const query = format === 'cve5' && cnaOrgId ? `?cnaOrgId=${seg(cnaOrgId)}` : '';
    return `/api/v1${BASE}/${seg(id)}/export/${format}${query}`;
  },
};
