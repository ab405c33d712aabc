import type { AppContext } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import {
  getSettings,
  isPlaceholderEmail,
  type OrganizationSettings,
  settingsRevision,
} from './settings.service.ts';

export { isPlaceholderEmail } from './settings.service.ts';

/**
 * The organization's facts as every domain reads them: name, public URL, security contact, default
 * language. `revision` changes whenever one of them does, so page caches in any process can key on it.
 */
export type Organization = {
  name: string;
  publicUrl: string;
  /** An e-mail address the owner gave, or null: never a guessed `security@host`. */
  securityContact: string | null;
  defaultLocale: OrganizationSettings['defaultLocale'];
  revision: string;
};

/** The name a fresh install shows until the owner names the organization (never published as is). */
export const DEFAULT_ORGANIZATION_NAME = 'Attest';

/** What an install has before anyone says otherwise: the environment's public URL and language. */
export function organizationDefaults(ctx: Pick<AppContext, 'config'>): OrganizationSettings {
  return {
    organizationName: DEFAULT_ORGANIZATION_NAME,
    defaultLocale: ctx.config.defaultLocale,
    publicUrl: ctx.config.envPublicUrl,
    securityContact: null,
  };
}

/** The security contact when it is one a visitor can reach, else null. */
export function realSecurityContact(organization: Pick<Organization, 'securityContact'>): string | null {
  const contact = organization.securityContact;
  return contact && !isPlaceholderEmail(contact) ? contact : null;
}

/** How long a process trusts its copy before asking the database again (other processes' changes). */
const REVALIDATE_MS = 2_000;
const memos = new WeakMap<object, { value: Organization; checkedAt: number }>();

async function load(ctx: Pick<AppContext, 'config'>, q: Queryable): Promise<Organization> {
  const [values, revision] = await Promise.all([
    getSettings(q, organizationDefaults(ctx)),
    settingsRevision(q),
  ]);
  return {
    name: values.organizationName,
    publicUrl: values.publicUrl,
    securityContact: values.securityContact,
    defaultLocale: values.defaultLocale,
    revision,
  };
}

/**
 * The organization's facts. Inside a transaction pass `q` (read through it, never cached); without it
 * they are served from memory for REVALIDATE_MS, and at once after a change made in this process.
 */
export async function getOrganization(ctx: AppContext, q?: Queryable): Promise<Organization> {
  if (q) return load(ctx, q);
  const memo = memos.get(ctx);
  if (memo && Date.now() - memo.checkedAt < REVALIDATE_MS) return memo.value;
  const value = await load(ctx, ctx.database.db);
  applyPublicUrl(ctx, value.publicUrl);
  memos.set(ctx, { value, checkedAt: Date.now() });
  return value;
}

/** Forgets this process's copy (after a change), and makes links use the new public URL at once. */
export function forgetOrganization(ctx: AppContext): void {
  memos.delete(ctx);
}

/**
 * Links, renders, passkeys, exports, the OpenAPI server, problem-type links and the cookies' Secure flag
 * all read `config` when they are used: setting it here makes them follow the stored public URL without a
 * restart. (HSTS and upgrade-insecure-requests headers are still fixed at start: a browser that saw them
 * keeps them anyway, so switching them on mid-run would only half-apply.)
 */
export function applyPublicUrl(ctx: Pick<AppContext, 'config'>, publicUrl: string): void {
  if (ctx.config.publicUrl !== publicUrl) ctx.config.publicUrl = publicUrl;
  ctx.config.secureCookies = publicUrl.startsWith('https://');
}

/** At start: the stored public URL (if any) replaces the environment's default in this process. */
export async function loadStoredPublicUrl(ctx: AppContext): Promise<void> {
  const organization = await load(ctx, ctx.database.db);
  applyPublicUrl(ctx, organization.publicUrl);
}
