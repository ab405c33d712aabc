export { type Catalog, type Catalogs, catalogFolders, catalogsDir, loadCatalogs } from './catalogs.ts';
export { formatDateTime } from './format.ts';
export { defaultLocale, isLocale, type Locale, locales } from './locales.ts';
export { negotiateLocale } from './negotiate.ts';
export { hasTranslation, registerCatalogs, translate } from './translate.ts';
