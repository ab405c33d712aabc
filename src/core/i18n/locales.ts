/** Locales Attest ships catalogs for; each has a folder under `./locales/`. */
export const locales = ['en', 'es', 'fr'] as const;

export type Locale = (typeof locales)[number];

/** Used when nothing better is known, and as the fallback for keys missing in a catalog. */
export const defaultLocale: Locale = 'en';

/** Narrows untrusted input (a header, a stored preference) to a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}
