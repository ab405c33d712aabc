import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import AjvDraft07 from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/compliance/catalog/catalog.loader.ts';
import { frameworkToOscal, oscalId } from '../../../src/compliance/catalog/oscal.ts';

const catalog = loadCatalog();
let validate: ValidateFunction;

beforeAll(() => {
  // NIST's OSCAL 1.0.6 catalog schema (draft-07), see test/fixtures/oscal/README.md.
  const schema = JSON.parse(
    readFileSync(path.join(import.meta.dirname, '../../fixtures/oscal/oscal_catalog_schema.json'), 'utf8'),
  );
  const ajv = new AjvDraft07.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  validate = ajv.compile(schema);
});

interface Control {
  id: string;
  title: string;
  class?: string;
  props: { name: string; value: string }[];
  controls?: Control[];
}
const flatten = (controls: Control[]): Control[] =>
  controls.flatMap((c) => [c, ...flatten(c.controls ?? [])]);

describe('frameworkToOscal', () => {
  it.each(catalog.frameworks.map((f) => [f.id, f] as const))(
    '%s validates against NIST’s OSCAL 1.0.6 catalog schema',
    (_id, framework) => {
      for (const locale of ['en', 'fr'] as const) {
        const document = frameworkToOscal(framework, { locale });
        const valid = validate(document);
        expect(validate.errors ?? [], `${framework.id} ${locale}`).toEqual([]);
        expect(valid).toBe(true);
        expect(document.catalog.metadata['oscal-version']).toBe('1.0.6');
      }
    },
  );

  it('writes one control per requirement, its official reference as the label prop', () => {
    for (const framework of catalog.frameworks) {
      const controls = flatten(
        frameworkToOscal(framework).catalog.groups.flatMap((g) => g.controls as Control[]),
      );
      const labels = controls.map((c) => c.props.find((p) => p.name === 'label')?.value);
      expect(labels.sort()).toEqual(framework.requirements.map((r) => r.id).sort());
      expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
    }
  });

  it('nests HIPAA implementation specifications under their standard, marked required or addressable', () => {
    const hipaa = catalog.frameworks.find((f) => f.id === 'hipaa-security');
    if (!hipaa) throw new Error('no HIPAA');
    const document = frameworkToOscal(hipaa, { locale: 'es' });
    const technical = document.catalog.groups.find((g) => g.id === 'hipaa-security-technical');
    const access = ((technical?.controls ?? []) as Control[]).find(
      (c) => c.id === oscalId('hipaa-security', '164.312(a)(1)'),
    );
    expect(access?.title).toBe('Control de acceso');
    expect(access?.controls?.map((c) => [c.props[0]?.value, c.class])).toEqual([
      ['164.312(a)(2)(i)', 'required'],
      ['164.312(a)(2)(ii)', 'required'],
      ['164.312(a)(2)(iii)', 'addressable'],
      ['164.312(a)(2)(iv)', 'addressable'],
    ]);
  });

  it('writes SOC 2 points of focus as items of the statement', () => {
    const soc2 = catalog.frameworks.find((f) => f.id === 'soc2-2017');
    if (!soc2) throw new Error('no SOC 2');
    const controls = frameworkToOscal(soc2, { locale: 'fr' }).catalog.groups.flatMap((g) => g.controls);
    const cc61 = controls.find((c) => c.props[0]?.value === 'CC6.1');
    const items = cc61?.parts[0]?.parts ?? [];
    expect(items.map((p) => p.id)).toEqual(
      ['pf-1', 'pf-2', 'pf-3', 'pf-4', 'pf-5', 'pf-6'].map((n) => `soc2-2017-cc6.1_smt.${n}`),
    );
    expect(items[5]?.prose).toBe('Chiffrer les données et protéger les clés');
  });

  it('is checked for real: a control id the schema forbids fails validation', () => {
    const iso = catalog.frameworks.find((f) => f.id === 'iso27001-2022');
    if (!iso) throw new Error('no ISO');
    const document = frameworkToOscal(iso);
    const first = document.catalog.groups[0]?.controls[0];
    if (!first) throw new Error('no control');
    first.id = '4.1 context';
    expect(validate(document)).toBe(false);
  });
});
