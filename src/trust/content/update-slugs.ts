import { desc, eq, like, or } from 'drizzle-orm';
import slugify from 'slugify';
import type { Queryable } from '../../core/db/index.ts';
import { problems } from '../../core/http/problem.ts';
import { type LocalizedText, trustPublications, trustUpdates } from '../tables.ts';

const MAX_SLUG = 80;

/**
 * A URL slug from a title: transliterated to ASCII by slugify ("Évaluation d’impact" →
 * "evaluation-d-impact", "Straße" → "strasse"), lower case, single hyphens. Falls back to "update" for a
 * title with no Latin letters or digits.
 */
export function slugFromTitle(title: string): string {
  const slug = slugify(title.replace(/[’'`]/g, ' '), { lower: true, strict: true, trim: true })
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return slug || 'update';
}

/** The title to derive the slug from: the site's default language first, then en, es, fr. */
function titleFor(title: LocalizedText | undefined, defaultLocale: string): string {
  const ordered = [defaultLocale, 'en', 'es', 'fr'] as const;
  for (const locale of ordered) {
    const value = title?.[locale as keyof LocalizedText];
    if (value) return value;
  }
  return '';
}

/** A slug from the title not used by another update: `tls-rotation`, then `tls-rotation-2`, … */
export async function uniqueUpdateSlug(
  q: Queryable,
  title: LocalizedText | undefined,
  defaultLocale: string,
): Promise<string> {
  const base = slugFromTitle(titleFor(title, defaultLocale));
  const taken = new Set(
    (
      await q
        .select({ slug: trustUpdates.slug })
        .from(trustUpdates)
        .where(or(eq(trustUpdates.slug, base), like(trustUpdates.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Once an update has been published its address is public (links, the Atom feed): its slug no longer
 * changes. Title edits never touch it; an explicit new slug is refused with 422.
 */
export async function assertSlugStable(q: Queryable, id: string, slug: unknown): Promise<void> {
  if (typeof slug !== 'string') return;
  const [current] = await q
    .select({ slug: trustUpdates.slug })
    .from(trustUpdates)
    .where(eq(trustUpdates.id, id));
  if (!current || current.slug === slug) return;
  const [latest] = await q
    .select({ snapshot: trustPublications.snapshot })
    .from(trustPublications)
    .orderBy(desc(trustPublications.version))
    .limit(1);
  const published = (latest?.snapshot as { updates?: { id: string }[] } | undefined)?.updates ?? [];
  if (published.some((u) => u.id === id)) {
    throw problems.validation([
      {
        in: 'body',
        pointer: '/slug',
        detail: 'a published update keeps its address: the slug cannot change',
      },
    ]);
  }
}
