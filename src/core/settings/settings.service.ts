import { inArray, max } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db/index.ts';
import { settings } from './tables.ts';

/** An absolute http(s) URL without a trailing slash: where visitors reach this install. */
export const PublicUrl = z
  .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
  .max(300)
  .transform((value) => value.replace(/\/+$/, ''));

/** Reserved names (RFC 2606, RFC 6761) and local ones: an address there reaches nobody outside. */
const PLACEHOLDER_DOMAIN =
  /(^|\.)(localhost|example|test|invalid|local|localdomain|internal)$|(^|\.)example\.(com|org|net)$/;

/** Whether `email` cannot be a real public contact (a placeholder such as security@localhost). */
export function isPlaceholderEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return true;
  const domain = email.slice(at + 1).toLowerCase();
  if (!domain.includes('.') || /^[\d.]+$/.test(domain) || domain.startsWith('[')) return true;
  return PLACEHOLDER_DOMAIN.test(domain);
}

/** The address researchers and customers write to about security. Stored without `mailto:`. */
export const SecurityContactEmail = z
  .email({ error: 'an e-mail address' })
  .max(254)
  .transform((value) => value.toLowerCase())
  .refine((value) => !isPlaceholderEmail(value), {
    error: 'an address that reaches you, not a placeholder (localhost, example.com, .test, .invalid)',
  });

/**
 * The organization's facts, one place for all of Attest: the trust center, the disclosure program and
 * its security.txt, mails and advisory exports read them from here (see organization.ts).
 */
export const OrganizationSettings = z.object({
  organizationName: z.string().trim().min(1).max(200),
  defaultLocale: z.enum(['en', 'es', 'fr']),
  publicUrl: PublicUrl,
  /** Null until the owner has said it: nothing public names a guessed address. */
  securityContact: SecurityContactEmail.nullable(),
});
export type OrganizationSettings = z.infer<typeof OrganizationSettings>;

const KEYS = ['organizationName', 'defaultLocale', 'publicUrl', 'securityContact'] as const;

/** Settings an admin edits in the app; the environment gives the defaults. */
export async function getSettings(
  q: Queryable,
  defaults: OrganizationSettings,
): Promise<OrganizationSettings> {
  const rows = await q
    .select()
    .from(settings)
    .where(inArray(settings.key, [...KEYS]));
  const stored: Partial<OrganizationSettings> = {};
  // Key by key, so one unreadable value (an older release's) falls back alone instead of hiding the rest.
  for (const row of rows) {
    const key = row.key as (typeof KEYS)[number];
    const parsed = OrganizationSettings.shape[key].safeParse(row.value);
    if (parsed.success) Object.assign(stored, { [key]: parsed.data });
  }
  return { ...defaults, ...stored };
}

/** When the organization's facts last changed (ISO), or '0': caches of public pages key on it. */
export async function settingsRevision(q: Queryable): Promise<string> {
  const [row] = await q
    .select({ at: max(settings.updatedAt) })
    .from(settings)
    .where(inArray(settings.key, [...KEYS]));
  return row?.at ? new Date(row.at).toISOString() : '0';
}

export async function saveSettings(q: Queryable, changes: Partial<OrganizationSettings>): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    await q
      .insert(settings)
      .values({ key, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
  }
}
