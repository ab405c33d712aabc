import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { ItemOf, ResponseOf } from './api-types';

// ---------------------------------------------------------------------------
// Types of the server's JSON contract (/api/v1): derived from the generated OpenAPI types.
// ---------------------------------------------------------------------------

export const ROLES = ['owner', 'admin', 'security', 'compliance', 'employee', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'es', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export type SessionState = 'active' | 'mfa_required' | 'mfa_enrolment_required';
export type MfaMethod = 'totp' | 'recovery' | 'webauthn';

export type Session = ResponseOf<'/api/v1/identity/session', 'get'>;
export type SessionUser = Session['user'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type TotpSetup = ResponseOf<'/api/v1/identity/me/totp/setup', 'post'>;
export type RecoveryCodes = ResponseOf<'/api/v1/identity/me/recovery-codes', 'post'>;

/** What changing a second factor needs: the password and a current factor (a code or a passkey assertion). */
export interface StepUpProof {
  password: string;
  currentCode?: string;
  currentPasskey?: AuthenticationResponseJSON;
}

export type Passkey = ItemOf<ResponseOf<'/api/v1/identity/me/passkeys', 'get'>>;
export type UserSession = ItemOf<ResponseOf<'/api/v1/identity/me/sessions', 'get'>>;
export type User = ItemOf<ResponseOf<'/api/v1/identity/users', 'get'>>;
export type Invitation = ItemOf<ResponseOf<'/api/v1/identity/invitations', 'get'>>;
export type InvitationStatus = Invitation['status'];
export type InvitationLookup = ResponseOf<'/api/v1/identity/invitations/lookup', 'get'>;
export type ApiToken = ItemOf<ResponseOf<'/api/v1/identity/tokens', 'get'>>;
export type CreatedApiToken = ResponseOf<'/api/v1/identity/tokens', 'post'>;
export type AuditEvent = ItemOf<ResponseOf<'/api/v1/audit/events', 'get'>>;
export type AuditVerifyResult = ResponseOf<'/api/v1/audit/verify', 'post'>;
export type Settings = ResponseOf<'/api/v1/settings/', 'get'>;
export type FailedJob = ItemOf<ResponseOf<'/api/v1/jobs/failed', 'get'>>;
export type OutboxMessage = ItemOf<ResponseOf<'/api/v1/mail/outbox', 'get'>>;

export interface Health {
  status: string;
  db: string;
  version: string;
}

// ---------------------------------------------------------------------------
// Errors: the server answers with RFC 9457 problem details.
// ---------------------------------------------------------------------------

export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
}

export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly errors: ProblemFieldError[];

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ProblemError';
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = problem.title ?? '';
    this.detail = problem.detail;
    this.code = problem.code;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }

  /** Field errors keyed by the last segment of their JSON pointer ("/body/email" → "email"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const key = e.pointer.split('/').filter(Boolean).pop();
      if (key && !out[key]) out[key] = e.detail;
    }
    return out;
  }
}

/** Raised when the request never reached the server (offline, DNS, aborted…). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Network request failed', { cause });
    this.name = 'NetworkError';
  }
}

// ---------------------------------------------------------------------------
// Transport
// ---------------------------------------------------------------------------

const API_BASE = '/api/v1';

let csrfToken: string | null = null;
let acceptLanguage = 'en';
const unauthorizedListeners = new Set<(path: string) => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLanguage(language: string): void {
  acceptLanguage = language;
}

/** Called whenever an API call answers 401, so the session layer can re-check who is logged in. */
export function onUnauthorized(listener: (path: string) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Absolute path (not prefixed with /api/v1). */
  raw?: boolean;
  /** Do not notify 401 listeners (used by the session probe itself). */
  silent401?: boolean;
}

function buildUrl(path: string, options: RequestOptions): string {
  let url = options.raw ? path : `${API_BASE}${path}`;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as unknown;
      if (body && typeof body === 'object') return body as Problem;
    } catch {
      // fall through
    }
  }
  return { title: res.statusText || `HTTP ${res.status}`, status: res.status };
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': acceptLanguage,
  };
  const form = options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options), {
      method,
      headers,
      credentials: 'same-origin',
      body:
        options.body === undefined
          ? undefined
          : form
            ? (options.body as FormData)
            : JSON.stringify(options.body),
    });
  } catch (err) {
    throw new NetworkError(err);
  }
}

function isCsrfFailure(status: number, problem: Problem): boolean {
  return status === 403 && /csrf/i.test(`${problem.code ?? ''} ${problem.type ?? ''}`);
}

/** A stale CSRF token (e.g. after the session cookie was rotated) is refreshed once, then the call retried. */
async function refreshCsrfToken(): Promise<boolean> {
  const res = await send('GET', '/identity/session', {});
  if (!res.ok) return false;
  const session = (await res.json()) as Partial<Session>;
  if (!session.csrfToken || session.csrfToken === csrfToken) return false;
  csrfToken = session.csrfToken;
  return true;
}

/** One API call; a FormData body is sent as multipart/form-data. Throws ProblemError / NetworkError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, options);
  if (!res.ok && method !== 'GET' && res.status === 403) {
    const problem = await readProblem(res.clone());
    if (isCsrfFailure(res.status, problem) && (await refreshCsrfToken())) {
      res = await send(method, path, options);
    }
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    const error = new ProblemError(res.status, problem);
    if (res.status === 401 && !options.silent401) {
      for (const listener of unauthorizedListeners) listener(path);
    }
    throw error;
  }
  if (res.status === 204 || res.status === 202 || res.headers.get('content-length') === '0') {
    return undefined as T;
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query });
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const del = (path: string, body?: unknown) => request<void>('DELETE', path, { body });
const seg = encodeURIComponent;

export interface ListQuery {
  limit?: number;
  cursor?: string | null;
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

export type OnboardingKey =
  | 'organization'
  | 'defaultTexts'
  | 'securityContact'
  | 'publishTrustCenter'
  | 'publishProgram'
  | 'inviteTeam'
  | 'mail';
export type AttentionKey = 'reportsBreached' | 'reportsDue' | 'accessRequestsPending' | 'documentsExpiring';
export interface Home {
  onboarding: { key: OnboardingKey; done: boolean; path: string }[];
  attention: { key: AttentionKey; count: number; path: string }[];
}

export const api = {
  // Home: the caller's next steps and the counts of work waiting, for their role only.
  home: () => get<Home>('/home'),

  // Setup (public)
  setupStatus: () => get<{ needed: boolean; publicUrl?: string }>('/identity/setup/status'),
  setupTotp: (token: string) => post<TotpSetup>('/identity/setup/totp', { token }),
  setup: (body: {
    token: string;
    email: string;
    name: string;
    password: string;
    totpCode: string;
    locale: Locale;
    organization: { name: string; publicUrl: string; securityContact: string };
  }) => post<RecoveryCodes>('/identity/setup', body),

  // Session
  session: () => request<Session>('GET', '/identity/session', { silent401: true }),
  login: (email: string, password: string) =>
    post<{ state: SessionState; methods?: MfaMethod[] }>('/identity/login', { email, password }),
  loginTotp: (code: string) =>
    post<{ state: SessionState; remainingRecoveryCodes?: number }>('/identity/login/totp', { code }),
  loginRecovery: (code: string) =>
    post<{ state: SessionState; remainingRecoveryCodes?: number }>('/identity/login/recovery', { code }),
  loginWebauthnOptions: () => post<PublicKeyCredentialRequestOptionsJSON>('/identity/login/webauthn/options'),
  loginWebauthn: (response: AuthenticationResponseJSON) =>
    post<{ state: SessionState }>('/identity/login/webauthn', { response }),
  logout: () => post<void>('/identity/logout'),

  // Password reset (public)
  requestPasswordReset: (email: string) => post<void>('/identity/password-reset', { email }),
  completePasswordReset: (token: string, password: string) =>
    post<void>('/identity/password-reset/complete', { token, password }),

  // Invitations (public)
  lookupInvitation: (token: string) => get<InvitationLookup>('/identity/invitations/lookup', { token }),
  acceptInvitation: (body: { token: string; name: string; password: string }) =>
    post<{ state: SessionState }>('/identity/invitations/accept', body),

  // Me
  updateMe: (body: { name?: string; locale?: Locale }) => patch<SessionUser>('/identity/me', body),
  changePassword: (currentPassword: string, newPassword: string) =>
    post<void>('/identity/me/password', { currentPassword, newPassword }),
  totpSetup: () => post<TotpSetup>('/identity/me/totp/setup'),
  /** `proof` is needed except during the first enrolment right after sign-in. */
  totpConfirm: (code: string, proof?: StepUpProof) =>
    post<RecoveryCodes>('/identity/me/totp/confirm', { code, ...proof }),
  regenerateRecoveryCodes: (proof: StepUpProof) => post<RecoveryCodes>('/identity/me/recovery-codes', proof),
  stepUpPasskeyOptions: () =>
    post<PublicKeyCredentialRequestOptionsJSON>('/identity/me/step-up/passkey-options'),
  passkeys: () => get<{ items: Passkey[] }>('/identity/me/passkeys'),
  passkeyOptions: (proof: StepUpProof) =>
    post<PublicKeyCredentialCreationOptionsJSON>('/identity/me/passkeys/options', proof),
  addPasskey: (name: string, response: RegistrationResponseJSON) =>
    post<Passkey>('/identity/me/passkeys', { name, response }),
  removePasskey: (id: string, proof: StepUpProof) => del(`/identity/me/passkeys/${seg(id)}`, proof),
  sessions: () => get<{ items: UserSession[] }>('/identity/me/sessions'),
  revokeSession: (id: string) => del(`/identity/me/sessions/${seg(id)}`),

  // Users
  users: (q: ListQuery & { q?: string; role?: Role | '' }) => get<Page<User>>('/identity/users', { ...q }),
  updateUser: (id: string, body: { role?: Role; status?: User['status'] }) =>
    patch<User>(`/identity/users/${seg(id)}`, body),
  resetUserMfa: (id: string) => post<void>(`/identity/users/${seg(id)}/reset-mfa`),

  // Invitations
  invitations: (q: ListQuery) => get<Page<Invitation>>('/identity/invitations', { ...q }),
  invite: (body: { email: string; role: Role; locale?: Locale }) =>
    post<Invitation>('/identity/invitations', body),
  revokeInvitation: (id: string) => del(`/identity/invitations/${seg(id)}`),

  // API tokens
  tokens: (q: ListQuery) => get<Page<ApiToken>>('/identity/tokens', { ...q }),
  createToken: (body: { name: string; role: Role; expiresInDays: number }) =>
    post<CreatedApiToken>('/identity/tokens', body),
  revokeToken: (id: string) => del(`/identity/tokens/${seg(id)}`),

  // Audit
  auditEvents: (q: ListQuery & { action?: string; actor?: string; from?: string; to?: string }) =>
    get<Page<AuditEvent>>('/audit/events', { ...q }),
  /** The log with these filters as CSV; a plain link, so the browser downloads it. */
  auditCsvUrl: (q: { action?: string; actor?: string; from?: string; to?: string }) =>
    buildUrl('/audit/events.csv', { query: { ...q } }),
  auditActions: () => get<{ actions: string[] }>('/audit/actions'),
  verifyAudit: () => post<AuditVerifyResult>('/audit/verify'),

  // Settings & mail
  settings: () => get<Settings>('/settings'),
  updateSettings: (body: {
    organizationName?: string;
    defaultLocale?: Locale;
    publicUrl?: string;
    securityContact?: string;
  }) => patch<Settings>('/settings', body),
  outbox: (q: ListQuery) => get<Page<OutboxMessage>>('/mail/outbox', { ...q }),
  failedJobs: (q: ListQuery) => get<Page<FailedJob>>('/jobs/failed', { ...q }),
  retryFailedJob: (id: string) => post<FailedJob>(`/jobs/failed/${seg(id)}/retry`),
  discardFailedJob: (id: string) => del(`/jobs/failed/${seg(id)}`),

  // Health (public). Served at the server root; fall back to /api/v1/healthz if the root path is unknown.
  // A degraded server may answer 503 with the same body, which is still worth showing.
  health: async (): Promise<Health> => {
    let res = await send('GET', '/healthz', { raw: true });
    if (res.status === 404) res = await send('GET', '/healthz', {});
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      const body = (await res.json()) as Partial<Health> & Problem;
      if (typeof body.status === 'string' && typeof body.db === 'string') return body as Health;
      throw new ProblemError(res.status, body);
    }
    throw new ProblemError(res.status, { title: res.statusText });
  },
};
