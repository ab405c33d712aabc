/** The compliance catalog: frameworks, Attest's common controls, their mappings, coverage and OSCAL export. */
export { bundledCatalog, type Catalog, CatalogError, loadCatalog } from './catalog.loader.ts';
export type { Control, Framework, Mapping, Relation, Requirement } from './catalog.schema.ts';
export { computeCoverage, type FrameworkCoverage } from './coverage.ts';
export { frameworkToOscal, OSCAL_VERSION } from './oscal.ts';
