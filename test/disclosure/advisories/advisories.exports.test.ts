import { describe, expect, it } from 'vitest';
import { providerMetadata } from '../../../src/disclosure/advisories/advisories.csaf-feed.ts';
import { scoreCvss } from '../../../src/disclosure/advisories/advisories.cvss.ts';
import type { AdvisoryData, Publisher } from '../../../src/disclosure/advisories/advisories.export.ts';
import { parsePurl } from '../../../src/disclosure/advisories/advisories.purl.ts';
import type { AffectedProduct } from '../../../src/disclosure/advisories/advisories.schemas.ts';
import { toCsaf } from '../../../src/disclosure/exports/export-csaf.ts';
import { toCve5 } from '../../../src/disclosure/exports/export-cve5.ts';
import { toGithubAdvisory } from '../../../src/disclosure/exports/export-github.ts';
import { toOsv } from '../../../src/disclosure/exports/export-osv.ts';
import {
  csafMandatoryErrors,
  csafValidators,
  cve5Validator,
  osvValidator,
  schemaErrors,
} from '../../fixtures/advisory-schemas.ts';
import { GithubCreateAdvisoryBody } from '../../fixtures/github-advisory.schema.ts';

const publisher: Publisher = {
  name: 'Acme Corp',
  publicUrl: 'https://trust.acme.example',
  lang: 'en',
  cnaOrgId: 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6',
};

const score = (version: '3.1' | '4.0', vector: string) => {
  const scored = scoreCvss(version, vector);
  if (typeof scored === 'string') throw new Error(scored);
  return scored;
};

/** A published advisory using every field: two revisions, packaged and unpackaged products, both CVSS versions. */
const full: AdvisoryData = {
  identifier: 'ACMECORP-2026-0001',
  cveId: 'CVE-2026-12345',
  status: 'published',
  title: 'Stored XSS in the Acme dashboard widgets',
  summary: 'A widget title could run script in another user’s browser.',
  description: '## Impact\n\nAn attacker with editor rights could store `<script>` in a widget title.\n',
  affected: [
    {
      name: 'Acme dashboard',
      purl: 'pkg:npm/%40acme/dashboard',
      ranges: [
        { introduced: '1.0.0', fixed: '1.4.2' },
        { introduced: '2.0.0', fixed: '2.1.0' },
      ],
      versions: ['0.9.9'],
    },
    {
      name: 'Acme appliance firmware',
      purl: 'pkg:generic/acme/appliance-firmware',
      ranges: [{ introduced: '0', lastAffected: '7.2' }],
      versions: [],
    },
    {
      name: 'acme-client',
      purl: 'pkg:pypi/acme-client',
      ranges: [{ introduced: '0' }],
      versions: [],
    },
  ],
  cvssV3: score('3.1', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N'),
  cvssV4: score('4.0', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N'),
  cweIds: ['CWE-79', 'CWE-80'],
  credits: [
    { name: 'Zoë Researcher', type: 'finder', githubLogin: 'zoe-r' },
    { name: 'Acme PSIRT', type: 'coordinator' },
    { name: 'Jo Dev', type: 'remediation_developer' },
  ],
  references: ['https://github.com/acme/dashboard/commit/0123456789abcdef', 'https://blog.example/write-up'],
  embargoUntil: new Date('2026-03-01T00:00:00Z'),
  publishedAt: new Date('2026-03-02T10:00:00Z'),
  createdAt: new Date('2026-02-10T09:00:00Z'),
  updatedAt: new Date('2026-03-05T12:30:00Z'),
  revision: 2,
  revisions: [
    { number: 1, date: new Date('2026-03-02T10:00:00Z'), summary: 'Initial public release.' },
    { number: 2, date: new Date('2026-03-05T12:30:00Z'), summary: 'Added the 2.x branch.' },
  ],
};

/** A draft with the least a draft can have: no CVE, no score, one product, no credits. */
const draft: AdvisoryData = {
  ...full,
  identifier: 'ACMECORP-2026-0002',
  status: 'draft',
  cveId: null,
  cvssV3: null,
  cvssV4: null,
  cweIds: [],
  credits: [],
  references: [],
  summary: '',
  description: '',
  affected: [{ name: 'Acme CLI', purl: 'pkg:golang/github.com/acme/cli', ranges: [], versions: ['1.2.3'] }],
  embargoUntil: null,
  publishedAt: null,
  revision: 1,
  revisions: [],
};

describe('advisory exports, validated against the official schemas', () => {
  for (const [label, advisory] of [
    ['published', full],
    ['draft', draft],
  ] as const) {
    it(`OSV (${label}) is valid against osv-schema`, () => {
      const record = toOsv(advisory, publisher);
      expect(schemaErrors(osvValidator(), record)).toEqual([]);
    });

    it(`CSAF 2.0 (${label}) is valid against the schema and passes every mandatory test`, async () => {
      const document = toCsaf(advisory, publisher);
      expect(schemaErrors(csafValidators().document, document)).toEqual([]);
      expect(await csafMandatoryErrors(document)).toEqual([]);
    });

    it(`GitHub payload (${label}) matches GitHub's documented request body`, () => {
      const result = GithubCreateAdvisoryBody.safeParse(toGithubAdvisory(advisory));
      expect(result.error?.issues ?? []).toEqual([]);
    });
  }

  it('CVE JSON 5 is a valid CVE record', () => {
    const record = toCve5(full, publisher);
    expect(schemaErrors(cve5Validator(), record)).toEqual([]);
  });

  it('CSAF provider metadata is valid against the provider schema', () => {
    const metadata = providerMetadata(publisher, [full]);
    expect(schemaErrors(csafValidators().provider, metadata)).toEqual([]);
    expect(metadata.canonical_url).toBe('https://trust.acme.example/.well-known/csaf/provider-metadata.json');
  });

  it('the validators do catch broken documents (they are not vacuous)', async () => {
    const osv = toOsv(full, publisher);
    expect(schemaErrors(osvValidator(), { ...osv, id: 'ACMECORP-2026-0001' })).not.toEqual([]);
    const csaf = toCsaf(full, publisher) as { vulnerabilities: { cwe: { name: string } }[] };
    const wrongCweName = structuredClone(csaf);
    (wrongCweName.vulnerabilities[0] as { cwe: { name: string } }).cwe.name = 'Not the real name';
    expect(await csafMandatoryErrors(wrongCweName)).not.toEqual([]);
    const cve = toCve5(full, publisher) as { cveMetadata: Record<string, unknown> };
    expect(
      schemaErrors(cve5Validator(), { ...cve, cveMetadata: { ...cve.cveMetadata, cveId: 'CVE-1' } }),
    ).not.toEqual([]);
    expect(GithubCreateAdvisoryBody.safeParse({ ...toGithubAdvisory(full), severity: 'high' }).success).toBe(
      false,
    );
  });
});

describe('what the exports say', () => {
  it('OSV: x_ id with the CVE as alias, ecosystem coordinates, unpackaged products kept aside', () => {
    const record = toOsv(full, publisher) as Record<string, unknown>;
    expect(record.id).toBe('x_ACMECORP-2026-0001');
    expect(record.aliases).toEqual(['CVE-2026-12345']);
    expect(record.affected).toEqual([
      expect.objectContaining({
        package: { ecosystem: 'npm', name: '@acme/dashboard', purl: 'pkg:npm/%40acme/dashboard' },
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '1.4.2' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { fixed: '2.1.0' }] },
        ],
        versions: ['0.9.9'],
      }),
      expect.objectContaining({
        package: expect.objectContaining({ ecosystem: 'PyPI', name: 'acme-client' }),
      }),
    ]);
    expect((record.database_specific as Record<string, unknown>).other_affected_products).toEqual([
      { name: 'Acme appliance firmware', purl: 'pkg:generic/acme/appliance-firmware' },
    ]);
    expect(record.severity).toEqual([
      { type: 'CVSS_V3', score: full.cvssV3?.vector },
      { type: 'CVSS_V4', score: full.cvssV4?.vector },
    ]);
  });

  it('CSAF: final with the revision history, fixed versions and remediations per product', () => {
    const document = toCsaf(full, publisher) as {
      document: { tracking: Record<string, unknown>; distribution: { tlp: { label: string } } };
      vulnerabilities: Record<string, unknown>[];
    };
    expect(document.document.tracking).toMatchObject({
      id: 'ACMECORP-2026-0001',
      status: 'final',
      version: '2',
      revision_history: [
        { number: '1', summary: 'Initial public release.' },
        { number: '2', summary: 'Added the 2.x branch.' },
      ],
    });
    expect(document.document.distribution.tlp.label).toBe('WHITE');
    const [vulnerability] = document.vulnerabilities;
    expect(vulnerability).toMatchObject({
      cve: 'CVE-2026-12345',
      cwe: { id: 'CWE-79', name: expect.stringContaining('Cross-site Scripting') },
      product_status: { fixed: ['CSAFPID-1-F1', 'CSAFPID-1-F2'] },
    });
    expect(vulnerability?.remediations).toEqual([
      expect.objectContaining({
        category: 'vendor_fix',
        product_ids: ['CSAFPID-1-R1', 'CSAFPID-1-R2', 'CSAFPID-1-V1'],
      }),
      expect.objectContaining({ category: 'none_available', product_ids: ['CSAFPID-2-R1'] }),
      expect.objectContaining({ category: 'none_available', product_ids: ['CSAFPID-3-R1'] }),
    ]);
    const drafted = toCsaf(draft, publisher) as typeof document;
    expect(drafted.document.tracking).toMatchObject({ status: 'draft', version: '0' });
    expect(drafted.document.distribution.tlp.label).toBe('AMBER');
  });

  it('CVE 5: ranges as lessThan / lessThanOrEqual, both CVSS versions, credits with their roles', () => {
    const record = toCve5(full, publisher) as { containers: { cna: Record<string, unknown> } };
    const { cna } = record.containers;
    expect((cna.affected as Record<string, unknown>[])[0]).toMatchObject({
      vendor: 'Acme Corp',
      product: 'Acme dashboard',
      versions: [
        { version: '1.0.0', lessThan: '1.4.2', status: 'affected', versionType: 'semver' },
        { version: '2.0.0', lessThan: '2.1.0', status: 'affected', versionType: 'semver' },
        { version: '0.9.9', status: 'affected' },
      ],
    });
    expect((cna.metrics as Record<string, unknown>[]).map((m) => Object.keys(m).at(-1))).toEqual([
      'cvssV4_0',
      'cvssV3_1',
    ]);
    expect(cna.credits).toContainEqual({ lang: 'en', value: 'Jo Dev', type: 'remediation developer' });
  });

  it('CVE 5: versions as cvelint checks them (E007), Maven group:artifact, plain-text description', () => {
    const withMaven: AdvisoryData = {
      ...full,
      affected: [
        ...full.affected,
        {
          name: 'Acme core',
          purl: 'pkg:maven/org.acme/acme-core',
          ranges: [{ introduced: '0', fixed: '2.3.1' }],
          versions: [],
        },
      ],
    };
    const record = toCve5(withMaven, publisher) as { containers: { cna: Record<string, unknown> } };
    expect(schemaErrors(cve5Validator(), record)).toEqual([]);
    const { cna } = record.containers;
    const affected = cna.affected as { packageName?: string; versions: Record<string, string>[] }[];
    // cvelint E007: every version of a `semver` entry is a full semantic version; '*' only in lessThan.
    const strictSemver = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
    const cvelintVersion = /^(\*|[a-zA-Z0-9]+[-_:.a-zA-Z0-9]*)$/;
    for (const entry of affected.flatMap((product) => product.versions)) {
      for (const field of ['version', 'lessThan', 'lessThanOrEqual'] as const) {
        const value = entry[field];
        if (value === undefined) continue;
        expect(value, field).toMatch(cvelintVersion);
        if (field === 'lessThanOrEqual') expect(value).not.toBe('*');
        if (entry.versionType === 'semver' && value !== '*') expect(value, field).toMatch(strictSemver);
      }
    }
    expect(affected[3]).toMatchObject({
      packageName: 'org.acme:acme-core',
      versions: [{ version: '0', lessThan: '2.3.1', versionType: 'maven', status: 'affected' }],
    });
    expect(affected[0]?.packageName).toBe('@acme/dashboard');
    // From the start, not semver: '0' stays, with the ecosystem's type; no end is lessThan '*'.
    expect(affected[1]?.versions).toEqual([
      { version: '0', lessThanOrEqual: '7.2', versionType: 'custom', status: 'affected' },
    ]);
    expect(affected[2]?.versions).toEqual([
      { version: '0', lessThan: '*', versionType: 'python', status: 'affected' },
    ]);
    const npmFromStart = toCve5(
      {
        ...full,
        affected: [
          { ...(full.affected[0] as AffectedProduct), ranges: [{ introduced: '0', fixed: '1.4.2' }] },
        ],
      },
      publisher,
    ) as typeof record;
    expect((npmFromStart.containers.cna.affected as typeof affected)[0]?.versions[0]).toEqual({
      version: '0.0.0',
      lessThan: '1.4.2',
      versionType: 'semver',
      status: 'affected',
    });
    const [description] = cna.descriptions as {
      value: string;
      supportingMedia?: Record<string, unknown>[];
    }[];
    expect(description?.value).toBe(
      `${full.summary}\n\nImpact\n\nAn attacker with editor rights could store <script> in a widget title.`,
    );
    expect(description?.value).not.toMatch(/##|`/);
    expect(description?.supportingMedia).toEqual([
      { type: 'text/markdown', base64: false, value: `${full.summary}\n\n${full.description}` },
    ]);
  });

  it('GitHub: CVSS 3.1 vector, GitHub ranges, only credits with a login', () => {
    const body = toGithubAdvisory(full) as Record<string, unknown>;
    expect(body.cvss_vector_string).toBe(full.cvssV3?.vector);
    expect(body.severity).toBeUndefined();
    expect(body.vulnerabilities).toContainEqual({
      package: { ecosystem: 'npm', name: '@acme/dashboard' },
      vulnerable_version_range: '>= 1.0.0, < 1.4.2',
      patched_versions: '1.4.2',
      vulnerable_functions: [],
    });
    expect(body.vulnerabilities).toContainEqual(
      expect.objectContaining({ package: { ecosystem: 'other', name: 'acme/appliance-firmware' } }),
    );
    expect(body.credits).toEqual([{ login: 'zoe-r', type: 'finder' }]);
    const v4only = toGithubAdvisory({ ...full, cvssV3: null }) as Record<string, unknown>;
    expect(v4only.severity).toBe('medium');
  });
});

describe('package URLs and CVSS', () => {
  it('parses purls and explains bad ones', () => {
    expect(parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar')).toMatchObject({
      type: 'maven',
      namespace: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.14.1',
      qualifiers: { type: 'jar' },
    });
    expect(parsePurl('npm/lodash')).toBe('must start with "pkg:"');
    expect(parsePurl('pkg:npm')).toMatch(/name is required/);
    expect(parsePurl('pkg:1npm/x')).toMatch(/type/);
    expect(parsePurl('pkg:npm/has space')).toMatch(/percent-encoded/);
  });

  it('scores CVSS 3.1 and 4.0 and refuses incomplete or unknown metrics', () => {
    expect(scoreCvss('3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
    });
    expect(scoreCvss('4.0', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatchObject(
      {
        baseScore: 9.3,
        baseSeverity: 'CRITICAL',
      },
    );
    expect(scoreCvss('3.1', 'CVSS:3.1/AV:N/AC:L')).toMatch(/base metrics missing/);
    expect(scoreCvss('3.1', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatch(/must start/);
    expect(scoreCvss('4.0', 'CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatch(/Q/);
    expect(scoreCvss('3.1', 'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatch(/twice/);
  });
});
