import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Locale, locales } from './locales.ts';

/** Nested translation strings of one namespace, as stored in a JSON catalog file. */
export type Catalog = { [key: string]: string | Catalog };

/** locale → namespace → catalog, the shape i18next takes as `resources`. */
export type Catalogs = Record<Locale, Record<string, Catalog>>;

/** The kernel's own folder of `<locale>/<namespace>.json` (common, mail, problems), next to this file. */
export const catalogsDir = fileURLToPath(new URL('./locales/', import.meta.url));

// Every catalog folder in use: the kernel's, then each domain's, added by registerCatalogs (translate.ts)
// when the domain's index is imported. The kernel never imports a domain; domains bring their texts.
const folders: string[] = [catalogsDir];

/** The catalog folders registered so far, the kernel's first. */
export function catalogFolders(): readonly string[] {
  return folders;
}

/** Adds a domain's folder; returns false if it was already there (importing an index twice is harmless). */
export function addCatalogFolder(dir: string): boolean {
  if (folders.includes(dir)) return false;
  folders.push(dir);
  return true;
}

/**
 * Reads every `<dir>/<locale>/*.json`; the file name is the namespace, so adding a namespace
 * is just adding files. Synchronous because it runs once at startup, before any request.
 * Without `dir`, merges every registered folder.
 *
 * Throws (naming the file) if a locale folder is missing, a file is not a JSON object, or two folders
 * declare the same namespace.
 */
export function loadCatalogs(dir?: string): Catalogs {
  if (dir === undefined)
    return mergeCatalogs(
      folders.map((folder) => loadCatalogs(folder)),
      folders,
    );
  const entries = locales.map((locale) => [locale, loadLocale(join(dir, locale))] as const);
  return Object.fromEntries(entries) as Catalogs;
}

function mergeCatalogs(all: Catalogs[], dirs: readonly string[]): Catalogs {
  const merged = Object.fromEntries(locales.map((locale) => [locale, {}])) as Catalogs;
  all.forEach((catalogs, index) => {
    for (const locale of locales) {
      for (const [namespace, catalog] of Object.entries(catalogs[locale])) {
        if (namespace in merged[locale]) {
          throw new Error(`Translation namespace ${namespace} is declared twice (again in ${dirs[index]})`);
        }
        merged[locale][namespace] = catalog;
      }
    }
  });
  return merged;
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
