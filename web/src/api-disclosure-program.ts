import { type Locale, NetworkError, ProblemError, request } from './api';

// ---------------------------------------------------------------------------
// Types mirroring the disclosure program API (/api/v1/disclosure/program…).
// ---------------------------------------------------------------------------

/** Text per locale; a missing locale falls back to the program's default locale. */
export type Localized = Partial<Record<Locale, string>>;

export const ASSET_KINDS = ['domain', 'repository', 'application', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const CONTACT_KINDS = ['email', 'form', 'github', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface ProgramAsset {
  identifier: string;
  kind: AssetKind;
  inScope: boolean;
  description: Localized;
}

export interface OutOfScopeCategory {
  key: string;
  vrtId: string | null;
  label: Localized;
}

export interface ContactChannel {
  kind: ContactKind;
  value: string;
  label: Localized;
}

export interface FixTargetDays {
  critical: number;
  high: number;
  medium: number;
  low: number;
}

export interface SecurityTxtOptions {
  expiresDays: number;
  autoRenew: boolean;
  fixedExpires: string | null;
  hiringUrl: string | null;
}

/** The program's one structured source (src/disclosure/program/program.schema.ts). */
export interface ProgramSource {
  companyName: string;
  defaultLocale: Locale;
  introduction: Localized;
  assets: ProgramAsset[];
  outOfScopeCategories: OutOfScopeCategory[];
  rulesOfEngagement: Localized[];
  reportingGuidance: Localized;
  promises: Localized[];
  safeHarbor: Localized;
  reserveScopeDecision: boolean;
  contacts: ContactChannel[];
  responseBusinessDays: number;
  fixTargetDays: FixTargetDays;
  disclosureDeadlineDays: number;
  timeZone: string;
  holidays: { country: string | null; region: string | null };
  preferredLanguages: Locale[];
  securityTxt: SecurityTxtOptions;
}

export interface ProgramDraft {
  source: ProgramSource;
  updatedAt: string;
  updatedBy: string | null;
  publishedVersion: number;
  publishedSource: ProgramSource;
}

export interface ProgramVersion {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
}

export interface ProgramKey {
  id: string;
  fingerprint: string;
  userIds: string[];
  algorithm: string;
  expiresAt: string | null;
  active: boolean;
  createdAt: string;
}

export const RENDERS = ['html', 'markdown', 'securitytxt'] as const;
export type Render = (typeof RENDERS)[number];

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

const BASE = '/disclosure';
const seg = encodeURIComponent;

/** A text answer (the previews): the body as a string, or a ProblemError like `request` throws. */
async function fetchText(path: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${BASE}${path}`, { credentials: 'same-origin' });
  } catch (err) {
    throw new NetworkError(err);
  }
  if (!res.ok) {
    const type = res.headers.get('content-type') ?? '';
    const problem = type.includes('json') ? await res.json() : { title: res.statusText, status: res.status };
    throw new ProblemError(res.status, problem);
  }
  return res.text();
}

export const programApi = {
  draft: () => request<ProgramDraft>('GET', `${BASE}/program/draft`),
  saveDraft: (source: ProgramSource) =>
    request<ProgramDraft>('PUT', `${BASE}/program/draft`, { body: source }),
  publish: () => request<{ version: number; publishedAt: string }>('POST', `${BASE}/program/publish`),
  versions: () => request<{ items: ProgramVersion[] }>('GET', `${BASE}/program/versions`),
  preview: (render: Render, locale: Locale) =>
    fetchText(`/program/preview?render=${seg(render)}&locale=${seg(locale)}`),
  previewUrl: (render: Render, locale: Locale) =>
    `/api/v1${BASE}/program/preview?render=${seg(render)}&locale=${seg(locale)}`,
  keys: () => request<{ items: ProgramKey[] }>('GET', `${BASE}/program/keys`),
  generateKey: (body: { expiresInDays: number | null; name?: string; email?: string }) =>
    request<ProgramKey>('POST', `${BASE}/program/keys`, { body }),
  importKey: (body: { armoredKey: string; passphrase?: string }) =>
    request<ProgramKey>('POST', `${BASE}/program/keys/import`, { body }),
  deactivateKey: (id: string) => request<void>('DELETE', `${BASE}/program/keys/${seg(id)}`),
};
