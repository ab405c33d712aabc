import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  type Control,
  ControlFamilyFile,
  Framework,
  type Localized,
  type Uncovered,
  UncoveredFile,
} from './catalog.schema.ts';

export interface ControlFamily {
  id: string;
  title: Localized;
}
export type CatalogControl = Control & { family: string };

export interface Catalog {
  frameworks: Framework[];
  families: ControlFamily[];
  controls: CatalogControl[];
  uncovered: Uncovered[];
}

/** The repository's catalog/ folder. */
export const defaultCatalogDir = path.join(import.meta.dirname, '..', '..', '..', 'catalog');

export class CatalogError extends Error {
  override name = 'CatalogError';
}

function readYaml<Schema extends z.ZodType>(file: string, schema: Schema): z.infer<Schema> {
  let data: unknown;
  try {
    // Plain YAML 1.2 core schema: no custom tags, no merge keys; duplicate keys are an error by default.
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort();

/** Every id a mapping or an uncovered entry names must exist; ids are unique within their scope. */
function checkReferences(catalog: Catalog): void {
  const requirements = new Map<string, Set<string>>();
  for (const framework of catalog.frameworks) {
    if (requirements.has(framework.id)) throw new CatalogError(`framework ${framework.id} appears twice`);
    const ids = new Set<string>();
    const groups = new Set(framework.groups.map((group) => group.id));
    for (const requirement of framework.requirements) {
      if (ids.has(requirement.id))
        throw new CatalogError(`${framework.id}: requirement ${requirement.id} appears twice`);
      if (!groups.has(requirement.group))
        throw new CatalogError(`${framework.id}: ${requirement.id} names unknown group ${requirement.group}`);
      if (requirement.parent && !ids.has(requirement.parent))
        throw new CatalogError(
          `${framework.id}: ${requirement.id} names unknown parent ${requirement.parent}`,
        );
      ids.add(requirement.id);
    }
    requirements.set(framework.id, ids);
  }
  const known = (framework: string, requirement: string) =>
    requirements.get(framework)?.has(requirement) ?? false;
  const controlIds = new Set<string>();
  for (const control of catalog.controls) {
    if (controlIds.has(control.id)) throw new CatalogError(`control ${control.id} appears twice`);
    controlIds.add(control.id);
    const pairs = new Set<string>();
    for (const mapping of control.mappings) {
      if (!known(mapping.framework, mapping.requirement))
        throw new CatalogError(`${control.id} maps to unknown ${mapping.framework} ${mapping.requirement}`);
      const pair = `${mapping.framework} ${mapping.requirement}`;
      if (pairs.has(pair)) throw new CatalogError(`${control.id} maps to ${pair} twice`);
      pairs.add(pair);
    }
  }
  for (const entry of catalog.uncovered)
    if (!known(entry.framework, entry.requirement))
      throw new CatalogError(`uncovered names unknown ${entry.framework} ${entry.requirement}`);
}

/** Reads and validates catalog/frameworks/*.yaml and catalog/controls/*.yaml (uncovered.yaml included). */
export function loadCatalog(dir: string = defaultCatalogDir): Catalog {
  const frameworksDir = path.join(dir, 'frameworks');
  const controlsDir = path.join(dir, 'controls');
  const frameworks = yamlFiles(frameworksDir).map((file) =>
    readYaml(path.join(frameworksDir, file), Framework),
  );
  const families: ControlFamily[] = [];
  const controls: CatalogControl[] = [];
  let uncovered: Uncovered[] = [];
  for (const file of yamlFiles(controlsDir)) {
    const full = path.join(controlsDir, file);
    if (file === 'uncovered.yaml') {
      uncovered = readYaml(full, UncoveredFile).uncovered;
      continue;
    }
    const { family, controls: members } = readYaml(full, ControlFamilyFile);
    families.push(family);
    for (const control of members) controls.push({ ...control, family: family.id });
  }
  const catalog = { frameworks, families, controls, uncovered };
  checkReferences(catalog);
  return catalog;
}

let cached: Catalog | undefined;
/** The bundled catalog, read once per process: the files ship with the code and do not change while it runs. */
export function bundledCatalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}
