import i18next from 'i18next';
import { addCatalogFolder, loadCatalogs, namespacesOf } from './catalogs.ts';
import { elideBeforeValues } from './french.ts';
import { defaultLocale, type Locale, locales } from './locales.ts';

const catalogs = loadCatalogs();

// One private instance so nothing else (e.g. react-i18next in shared code) can change its
// language or options. With `initAsync: false` and in-memory resources, init completes
// synchronously, so translate() works as soon as this module is imported.
const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  resources: catalogs,
  ns: namespacesOf(catalogs),
  defaultNS: 'common',
  lng: defaultLocale,
  fallbackLng: defaultLocale,
  supportedLngs: [...locales],
  // Missing keys come back as `ns:key`, which is easy to spot in output and in tests.
  appendNamespaceToMissingKey: true,
  returnNull: false,
  interpolation: {
    // Output is plain text (mail text parts, JSON problem details, CLI). HTML renderers escape
    // the finished string once; escaping here too would double-escape and corrupt plain text.
    escapeValue: false,
  },
});

/**
 * Adds a domain's catalogs (`<dir>/<locale>/<namespace>.json`) to the translator and to loadCatalogs().
 * Each domain calls this from its index, so the kernel ships only its own texts and imports no domain.
 */
export function registerCatalogs(dir: string): void {
  if (!addCatalogFolder(dir)) return;
  const added = loadCatalogs(dir);
  for (const locale of locales) {
    for (const [namespace, catalog] of Object.entries(added[locale])) {
      if (i18n.hasResourceBundle(locale, namespace)) {
        throw new Error(`Translation namespace ${namespace} is declared twice (again in ${dir})`);
      }
      i18n.addResourceBundle(locale, namespace, catalog);
    }
  }
}

/**
 * Translates `key` (`namespace:path.to.key`; namespace defaults to `common`) into `locale`,
 * falling back to English for keys missing in that catalog.
 *
 * @param vars interpolation values for `{{name}}` placeholders; `count` selects plural forms.
 * @returns plain, unescaped text: escape it before putting it into HTML. A key missing in every
 *   catalog returns the key itself (`mail:some.key`) rather than throwing.
 */
export function translate(locale: Locale, key: string, vars?: Record<string, unknown>): string {
  // `lng` is set last so a variable can't switch the language.
  const text = i18n.t(key, { ...vars, lng: locale });
  return locale === 'fr' && vars ? elideBeforeValues(text, vars) : text;
}

/**
 * Whether `key` resolves to a string in `locale` or its English fallback, i.e. whether
 * `translate` would return real text rather than echoing the key.
 */
export function hasTranslation(locale: Locale, key: string): boolean {
  return (
    i18n.exists(key, { lng: locale }) && typeof i18n.t(key, { lng: locale, returnObjects: true }) === 'string'
  );
}
