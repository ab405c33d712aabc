import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db/index.ts';
import { settings } from './tables.ts';

export const OrganizationSettings = z.object({
  organizationName: z.string().trim().min(1).max(200),
  defaultLocale: z.enum(['en', 'es', 'fr']),
});
export type OrganizationSettings = z.infer<typeof OrganizationSettings>;

const KEYS = ['organizationName', 'defaultLocale'] as const;

/** Settings an admin edits in the app; the environment gives the defaults. */
export async function getSettings(
  q: Queryable,
  defaults: OrganizationSettings,
): Promise<OrganizationSettings> {
  const rows = await q
    .select()
    .from(settings)
    .where(inArray(settings.key, [...KEYS]));
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  const parsed = OrganizationSettings.partial().safeParse(stored);
  return { ...defaults, ...(parsed.success ? parsed.data : {}) };
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
