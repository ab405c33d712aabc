/**
 * The compliance domain's public surface. For now only the catalog (frameworks, common controls, mappings);
 * the program, its routes and screens join here as they are built.
 */
export * from './catalog/index.ts';
