import { readFileSync } from 'node:fs';

/** The Bugcrowd VRT as published upstream (catalog/vrt/README.md says which release). */
export const VRT_FILE = new URL('../../../catalog/vrt/vulnerability-rating-taxonomy.json', import.meta.url);

type VrtNode = { id: string; name: string; type: string; children?: VrtNode[] };

let ids: ReadonlyMap<string, string> | undefined;

/**
 * Every VRT id (`category.subcategory.variant`, each level's id joined by dots) with its name. Read
 * once, on first use: the file is 80 kB and only the program editor and its tests need it.
 */
export function vrtEntries(): ReadonlyMap<string, string> {
  if (ids) return ids;
  const parsed = JSON.parse(readFileSync(VRT_FILE, 'utf8')) as { content: VrtNode[] };
  const found = new Map<string, string>();
  const walk = (node: VrtNode, parent: string | undefined) => {
    const id = parent ? `${parent}.${node.id}` : node.id;
    found.set(id, node.name);
    for (const child of node.children ?? []) walk(child, id);
  };
  for (const node of parsed.content) walk(node, undefined);
  ids = found;
  return found;
}

export function isVrtId(id: string): boolean {
  return vrtEntries().has(id);
}
