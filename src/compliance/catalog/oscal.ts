import { randomUUID } from 'node:crypto';
import type { Framework, Requirement } from './catalog.schema.ts';

/** The OSCAL release whose catalog model we write (NIST's JSON schema for it is in test/fixtures/oscal/). */
export const OSCAL_VERSION = '1.0.6';

type Locale = 'en' | 'es' | 'fr';

interface OscalPart {
  id: string;
  name: string;
  props?: { name: string; value: string }[];
  prose: string;
  parts?: OscalPart[];
}
interface OscalControl {
  id: string;
  class?: string;
  title: string;
  props: { name: string; value: string }[];
  parts: OscalPart[];
  controls?: OscalControl[];
}
export interface OscalCatalogDocument {
  catalog: {
    uuid: string;
    metadata: { title: string; 'last-modified': string; version: string; 'oscal-version': string };
    groups: { id: string; title: string; controls: OscalControl[] }[];
  };
}

/**
 * An OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`) made from an official reference:
 * `164.308(a)(1)(ii)(A)` → `hipaa-security-164.308-a-1-ii-a`. Lower case, so ids differ only by their reference.
 */
export function oscalId(frameworkId: string, reference: string): string {
  const slug = reference
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${frameworkId}-${slug}`;
}

function toControl(framework: Framework, requirement: Requirement, locale: Locale): OscalControl {
  const id = oscalId(framework.id, requirement.id);
  return {
    id,
    // HIPAA marks each implementation specification required or addressable.
    ...(requirement.status ? { class: requirement.status } : {}),
    title: requirement.title[locale],
    props: [
      { name: 'label', value: requirement.id },
      { name: 'sort-id', value: id },
    ],
    parts: [
      {
        id: `${id}_smt`,
        name: 'statement',
        prose: requirement.description[locale],
        // SOC 2 points of focus: items of the statement, as NIST writes a control's enumerated sub-statements.
        ...(requirement.pointsOfFocus
          ? {
              parts: requirement.pointsOfFocus.map((point) => ({
                id: `${id}_smt.${point.id}`,
                name: 'item',
                props: [{ name: 'label', value: point.id }],
                prose: point.title[locale],
              })),
            }
          : {}),
      },
    ],
  };
}

/**
 * A framework as an OSCAL catalog: one group per framework group, one control per requirement (its official
 * reference in the `label` prop), HIPAA implementation specifications nested under their standard.
 */
export function frameworkToOscal(
  framework: Framework,
  options: { locale?: Locale; now?: Date } = {},
): OscalCatalogDocument {
  const locale = options.locale ?? 'en';
  const groups = framework.groups.map((group) => {
    const members = framework.requirements.filter((requirement) => requirement.group === group.id);
    const byId = new Map<string, OscalControl>();
    const controls: OscalControl[] = [];
    for (const requirement of members) {
      const control = toControl(framework, requirement, locale);
      byId.set(requirement.id, control);
      const parent = requirement.parent ? byId.get(requirement.parent) : undefined;
      if (parent) parent.controls = [...(parent.controls ?? []), control];
      else controls.push(control);
    }
    return { id: `${framework.id}-${group.id}`, title: group.title[locale], controls };
  });
  return {
    catalog: {
      uuid: randomUUID(),
      metadata: {
        title: framework.name[locale],
        'last-modified': (options.now ?? new Date()).toISOString(),
        version: framework.version,
        'oscal-version': OSCAL_VERSION,
      },
      groups: groups.filter((group) => group.controls.length > 0),
    },
  };
}
