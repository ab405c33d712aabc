import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CatalogError,
  defaultCatalogDir,
  loadCatalog,
} from '../../../src/compliance/catalog/catalog.loader.ts';

const catalog = loadCatalog();
const framework = (id: string) => {
  const found = catalog.frameworks.find((f) => f.id === id);
  if (!found) throw new Error(`no framework ${id}`);
  return found;
};
const ids = (id: string, group?: string) =>
  framework(id)
    .requirements.filter((r) => !group || r.group === group)
    .map((r) => r.id);
const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

describe('the framework catalog', () => {
  it('holds the five frameworks', () => {
    expect(catalog.frameworks.map((f) => f.id).sort()).toEqual([
      'ccpa',
      'gdpr',
      'hipaa-security',
      'iso27001-2022',
      'soc2-2017',
    ]);
  });

  it('ISO/IEC 27001:2022 has exactly the 93 Annex A controls, grouped by theme, and clauses 4.1 to 10.2', () => {
    expect(ids('iso27001-2022', 'organizational')).toEqual(range('A.5.', 1, 37));
    expect(ids('iso27001-2022', 'people')).toEqual(range('A.6.', 1, 8));
    expect(ids('iso27001-2022', 'physical')).toEqual(range('A.7.', 1, 14));
    expect(ids('iso27001-2022', 'technological')).toEqual(range('A.8.', 1, 34));
    expect(ids('iso27001-2022').filter((id) => id.startsWith('A.'))).toHaveLength(93);
    expect(ids('iso27001-2022', 'clauses')).toEqual([
      ...['4.1', '4.2', '4.3', '4.4', '5.1', '5.2', '5.3', '6.1.1', '6.1.2', '6.1.3', '6.2', '6.3'],
      ...['7.1', '7.2', '7.3', '7.4', '7.5', '8.1', '8.2', '8.3', '9.1', '9.2', '9.3', '10.1', '10.2'],
    ]);
  });

  it('SOC 2 (2017) has exactly its 61 Trust Services Criteria', () => {
    const expected = [
      ...range('CC1.', 1, 5),
      ...range('CC2.', 1, 3),
      ...range('CC3.', 1, 4),
      ...range('CC4.', 1, 2),
      ...range('CC5.', 1, 3),
      ...range('CC6.', 1, 8),
      ...range('CC7.', 1, 5),
      'CC8.1',
      ...range('CC9.', 1, 2),
      ...range('A1.', 1, 3),
      ...range('C1.', 1, 2),
      ...range('PI1.', 1, 5),
      ...['P1.1', 'P2.1', 'P3.1', 'P3.2', 'P4.1', 'P4.2', 'P4.3', 'P5.1', 'P5.2'],
      ...range('P6.', 1, 7),
      ...['P7.1', 'P8.1'],
    ];
    expect(expected).toHaveLength(61);
    expect(ids('soc2-2017')).toEqual(expected);
    // Points of focus, as sub-items, for the security criteria of CC6, CC7 and CC8.
    const withPoints = framework('soc2-2017').requirements.filter((r) => r.pointsOfFocus);
    expect(withPoints.map((r) => r.id)).toEqual([...range('CC6.', 1, 8), ...range('CC7.', 1, 5), 'CC8.1']);
  });

  it('HIPAA lists standards and implementation specifications of 164.308 to 164.316, each required or addressable', () => {
    const hipaa = framework('hipaa-security').requirements;
    for (const requirement of hipaa) {
      expect(requirement.id).toMatch(/^164\.3(08|10|12|14|16)\(/);
      expect(requirement.status).toMatch(/^(required|addressable)$/);
      if (requirement.kind === 'implementation-specification') {
        const parent = hipaa.find((r) => r.id === requirement.parent);
        expect(parent?.kind, requirement.id).toBe('standard');
        expect(
          requirement.id.startsWith(parent?.id.replace(/\(i\)$|\(1\)$/, '') ?? '?'),
          requirement.id,
        ).toBe(true);
      } else expect(requirement.kind).toBe('standard');
    }
    const status = (id: string) => hipaa.find((r) => r.id === id)?.status;
    expect(status('164.308(a)(1)(ii)(A)')).toBe('required'); // risk analysis
    expect(status('164.312(a)(2)(iv)')).toBe('addressable'); // encryption at rest
    expect(status('164.312(e)(2)(ii)')).toBe('addressable'); // encryption in transit
    expect(status('164.310(d)(2)(i)')).toBe('required'); // disposal
    expect(hipaa.filter((r) => r.kind === 'standard')).toHaveLength(22);
  });

  it('GDPR and CCPA hold the articles and sections the programme relies on', () => {
    const articles = [5, 24, 25, 28, 30, 32, 33, 34, 35, 37, 38, 39, 44, 45, 46].map((n) => `Art. ${n}`);
    expect(ids('gdpr')).toEqual(expect.arrayContaining(articles));
    expect(ids('ccpa')).toEqual(
      expect.arrayContaining([
        '1798.100', // notice at collection, contracts
        '1798.100(e)', // reasonable security
        '1798.105',
        '1798.110',
        '1798.120',
        '11 CCR 7011', // privacy policy
        '11 CCR 7051', // service provider contracts
        '11 CCR 7120', // cybersecurity audit
        '11 CCR 7150', // risk assessment
      ]),
    );
  });

  it('gives every title and description in en, es and fr, translated, with French typography', () => {
    const texts = [
      ...catalog.frameworks.flatMap((f) => [f.name, f.description, ...f.groups.map((g) => g.title)]),
      ...catalog.frameworks.flatMap((f) => f.requirements.flatMap((r) => [r.title, r.description])),
      ...catalog.frameworks.flatMap((f) =>
        f.requirements.flatMap((r) => (r.pointsOfFocus ?? []).map((p) => p.title)),
      ),
      ...catalog.families.map((f) => f.title),
      ...catalog.controls.flatMap((c) => [c.title, c.description, ...c.evidence.map((e) => e.name)]),
    ];
    expect(texts.length).toBeGreaterThan(700);
    const wrong: string[] = [];
    for (const text of texts) {
      for (const locale of ['en', 'es', 'fr'] as const)
        if (!text[locale]?.trim()) wrong.push(`missing ${locale}: ${text.en}`);
      if (text.en.length > 40 && (text.es === text.en || text.fr === text.en))
        wrong.push(`untranslated: ${text.en}`);
      if (/(^|[^\u00a0\u202f])[:;!?](?=\s|$|»)/.test(text.fr)) wrong.push(`French spacing: ${text.fr}`);
      if (/\u00a0[;!?]/.test(text.fr)) wrong.push(`French narrow space: ${text.fr}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the common control set', () => {
  it('has the seed’s ten families and more, every control with evidence, freshness and typed mappings', () => {
    const families = catalog.families.map((f) => f.id);
    expect(families).toEqual(
      expect.arrayContaining([
        'policies',
        'vulnerability',
        'encryption',
        'mfa',
        'sdlc',
        'monitoring',
        'training',
        'access',
        'audits',
        'intrusion-detection',
        'risk',
        'incident-response',
        'continuity',
        'assets',
        'vendors',
        'privacy',
      ]),
    );
    for (const control of catalog.controls) {
      expect(control.evidence.length, control.id).toBeGreaterThan(0);
      for (const evidence of control.evidence) expect(evidence.freshnessDays).toBeGreaterThan(0);
      for (const mapping of control.mappings) {
        expect(['equal', 'subset', 'superset', 'intersect']).toContain(mapping.relation);
        expect(mapping.rationale.length).toBeGreaterThan(10);
      }
    }
  });

  it('asks for evidence as fresh as its cadence: access reviews within a quarter, the pentest within a year', () => {
    const freshness = (id: string) =>
      catalog.controls.find((c) => c.id === id)?.evidence.map((e) => e.freshnessDays);
    expect(freshness('ACC-03')).toEqual([92]);
    expect(freshness('VUL-02')).toEqual([365]);
    expect(freshness('VUL-01')).toEqual([7, 31]);
  });

  it('maps only to requirements that exist', () => {
    const known = new Set(catalog.frameworks.flatMap((f) => f.requirements.map((r) => `${f.id} ${r.id}`)));
    const dangling = catalog.controls.flatMap((c) =>
      c.mappings
        .filter((m) => !known.has(`${m.framework} ${m.requirement}`))
        .map((m) => `${c.id} → ${m.requirement}`),
    );
    expect(dangling).toEqual([]);
    for (const entry of catalog.uncovered)
      expect(known.has(`${entry.framework} ${entry.requirement}`)).toBe(true);
  });
});

describe('loadCatalog', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const copy = () => {
    dir = mkdtempSync(path.join(tmpdir(), 'attest-catalog-'));
    cpSync(path.join(defaultCatalogDir, 'frameworks'), path.join(dir, 'frameworks'), { recursive: true });
    cpSync(path.join(defaultCatalogDir, 'controls'), path.join(dir, 'controls'), { recursive: true });
    return dir;
  };
  const edit = (file: string, from: string, to: string) => {
    const full = path.join(dir ?? '', file);
    const text = readFileSync(full, 'utf8');
    expect(text).toContain(from);
    writeFileSync(full, text.replace(from, to));
  };

  it('refuses a mapping to a requirement that does not exist', () => {
    copy();
    edit('controls/encryption.yaml', 'requirement: A.8.24', 'requirement: A.8.99');
    expect(() => loadCatalog(dir)).toThrow(/ENC-01 maps to unknown iso27001-2022 A.8.99/);
  });

  it('refuses a requirement without its French text, naming the file and field', () => {
    copy();
    edit('frameworks/soc2-2017.yaml', '      fr: Intégrité et valeurs éthiques\n', '');
    expect(() => loadCatalog(dir)).toThrow(CatalogError);
    expect(() => loadCatalog(dir)).toThrow(/soc2-2017\.yaml: requirements\.0\.title\.fr/);
  });

  it('refuses an unknown relation and a duplicated requirement id', () => {
    copy();
    edit('controls/mfa.yaml', 'relation: equal', 'relation: similar');
    expect(() => loadCatalog(dir)).toThrow(/mfa\.yaml: controls\.0\.mappings\.0\.relation/);
    copy();
    edit('frameworks/gdpr.yaml', '- id: Art. 6\n', '- id: Art. 5\n');
    expect(() => loadCatalog(dir)).toThrow(/gdpr: requirement Art\. 5 appears twice/);
  });
});

describe('catalog/tools/generate.ts', () => {
  it('reproduces the committed YAML from its source tables (regenerate after editing either)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'attest-catalog-gen-'));
    try {
      const root = path.resolve(import.meta.dirname, '../../..');
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'catalog/tools/generate.ts'), out],
        { cwd: root, encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      for (const folder of ['frameworks', 'controls']) {
        const committed = readdirSync(path.join(defaultCatalogDir, folder)).sort();
        expect(readdirSync(path.join(out, folder)).sort()).toEqual(committed);
        for (const file of committed)
          expect(readFileSync(path.join(out, folder, file), 'utf8'), `${folder}/${file}`).toBe(
            readFileSync(path.join(defaultCatalogDir, folder, file), 'utf8'),
          );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
