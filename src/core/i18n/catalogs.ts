import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Locale, locales } from './locales.ts';

/** Nested translation strings of one namespace, as stored in a JSON catalog file. */
export type Catalog = { [key: string]: string | Catalog };

/** locale → namespace → catalog, the shape i18next takes as `resources`. */
export type Catalogs = Record<Locale, Record<string, Catalog>>;

/** The folder holding `<locale>/<namespace>.json`, next to this file. */
export const catalogsDir = fileURLToPath(new URL('./locales/', import.meta.url));

/**
 * Reads every `<dir>/<locale>/*.json`; the file name is the namespace, so adding a namespace
 * is just adding files. Synchronous because it runs once at startup, before any request.
 *
 * Throws (naming the file) if a locale folder is missing or a file is not a JSON object.
 */
export function loadCatalogs(dir: string = catalogsDir): Catalogs {
  const entries = locales.map((locale) => [locale, loadLocale(join(dir, locale))] as const);
  return Object.fromEntries(entries) as Catalogs;
}

/** Namespaces present in any locale, sorted. */
export function namespacesOf(catalogs: Catalogs): string[] {
  const names = new Set(Object.values(catalogs).flatMap((byNamespace) => Object.keys(byNamespace)));
  return [...names].sort();
}

function loadLocale(localeDir: string): Record<string, Catalog> {
  const files = readdirSync(localeDir).filter((name) => name.endsWith('.json'));
  return Object.fromEntries(
    files.map((file) => [basename(file, '.json'), readCatalog(join(localeDir, file))]),
  );
}

function readCatalog(path: string): Catalog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid translation catalog ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Invalid translation catalog ${path}: expected a JSON object`);
  }
  return parsed as Catalog;
}
