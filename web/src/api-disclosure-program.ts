import { type Locale, NetworkError, ProblemError, request } from './api';
import type { ItemOf, ResponseOf } from './api-types';

// ---------------------------------------------------------------------------
// Types of the disclosure program API (/api/v1/disclosure/program…), derived from the generated ones.
// ---------------------------------------------------------------------------

/** Text per locale; a missing locale falls back to the program's default locale. */
export type Localized = Partial<Record<Locale, string>>;

export const ASSET_KINDS = ['domain', 'repository', 'application', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const CONTACT_KINDS = ['email', 'form', 'github', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

type ProgramDraftAnswer = ResponseOf<'/api/v1/disclosure/program/draft', 'get'>;

/** The program's one structured source (src/disclosure/program/program.schema.ts). */
export type ProgramSource = ProgramDraftAnswer['source'];
export type ProgramDraft = ProgramDraftAnswer;
export type ProgramAsset = ProgramSource['assets'][number];
export type OutOfScopeCategory = ProgramSource['outOfScopeCategories'][number];
export type ContactChannel = ProgramSource['contacts'][number];
export type FixTargetDays = ProgramSource['fixTargetDays'];
export type SecurityTxtOptions = ProgramSource['securityTxt'];
export type ProgramVersion = ItemOf<ResponseOf<'/api/v1/disclosure/program/versions', 'get'>>;
export type ProgramKey = ItemOf<ResponseOf<'/api/v1/disclosure/program/keys', 'get'>>;

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
