import {
  type AdvisoryData,
  advisoryPageUrl,
  csafPath,
  instant,
  type Publisher,
  rangeLabel,
} from '../advisories/advisories.export.ts';
import { packagePurl, parsePurl } from '../advisories/advisories.purl.ts';
import type { VersionRange } from '../advisories/advisories.schemas.ts';
import cweCatalogue from './cwe-names.json' with { type: 'json' };

const cweNames: Record<string, string> = cweCatalogue.weaknesses;

/** The CWE's official name, as CSAF 2.0 requires it next to the id; undefined for ids not in the catalogue. */
export function cweName(id: string): string | undefined {
  return cweNames[id];
}

/** A `vers:` range (https://github.com/package-url/purl-spec VERSION-RANGE-SPEC) of one affected range. */
function versRange(type: string, range: VersionRange): string {
  const constraints = [
    ...(range.introduced === '0' ? [] : [`>=${range.introduced}`]),
    ...(range.fixed ? [`<${range.fixed}`] : []),
    ...(range.lastAffected ? [`<=${range.lastAffected}`] : []),
  ];
  return `vers:${type}/${constraints.join('|') || '*'}`;
}

type ProductNode = { category: string; name: string; product: Record<string, unknown> };

/**
 * A CSAF 2.0 security advisory (JSON Schema: oasis csaf_json_schema.json, plus the mandatory tests of
 * CSAF 2.0 §6.1). Published advisories are `final` with one revision-history entry per public revision;
 * drafts and shared drafts are `draft`, version 0, TLP:AMBER.
 */
export function toCsaf(advisory: AdvisoryData, publisher: Publisher): Record<string, unknown> {
  const published = advisory.status === 'published' && advisory.revisions.length > 0;
  const knownAffected: string[] = [];
  const fixed: string[] = [];
  const remediations: Record<string, unknown>[] = [];
  const productBranches = advisory.affected.map((product, index) => {
    const parsed = parsePurl(product.purl);
    const type = typeof parsed === 'string' ? 'generic' : parsed.type;
    const basePurl = typeof parsed === 'string' ? product.purl : packagePurl(parsed);
    const idOf = (suffix: string) => `CSAFPID-${index + 1}-${suffix}`;
    const nodes: ProductNode[] = [];
    const affectedIds: string[] = [];
    product.ranges.forEach((range, rangeIndex) => {
      const id = idOf(`R${rangeIndex + 1}`);
      affectedIds.push(id);
      nodes.push({
        category: 'product_version_range',
        name: versRange(type, range),
        product: {
          product_id: id,
          name: `${product.name} ${rangeLabel(range)}`,
          product_identification_helper: { purl: basePurl },
        },
      });
    });
    product.versions.forEach((version, versionIndex) => {
      const id = idOf(`V${versionIndex + 1}`);
      affectedIds.push(id);
      nodes.push({
        category: 'product_version',
        name: version,
        product: {
          product_id: id,
          name: `${product.name} ${version}`,
          product_identification_helper: { purl: `${basePurl}@${encodeURIComponent(version)}` },
        },
      });
    });
    const fixedVersions = [...new Set(product.ranges.flatMap((range) => (range.fixed ? [range.fixed] : [])))];
    const fixedIds = fixedVersions.map((version, fixedIndex) => {
      const id = idOf(`F${fixedIndex + 1}`);
      nodes.push({
        category: 'product_version',
        name: version,
        product: {
          product_id: id,
          name: `${product.name} ${version}`,
          product_identification_helper: { purl: `${basePurl}@${encodeURIComponent(version)}` },
        },
      });
      return id;
    });
    knownAffected.push(...affectedIds);
    fixed.push(...fixedIds);
    remediations.push(
      fixedVersions.length > 0
        ? {
            category: 'vendor_fix',
            details: `Update ${product.name} to version ${fixedVersions.join(' or ')} or later.`,
            product_ids: affectedIds,
          }
        : {
            category: 'none_available',
            details: `No fixed version of ${product.name} is available yet.`,
            product_ids: affectedIds,
          },
    );
    return {
      category: 'product_name',
      name: product.name,
      branches: nodes.map((node) => ({ category: node.category, name: node.name, product: node.product })),
    };
  });

  const selfUrl = `${publisher.publicUrl}${csafPath(advisory)}`;
  const page = advisoryPageUrl(publisher, advisory.identifier);
  const history = published
    ? advisory.revisions.map((revision) => ({
        date: instant(revision.date),
        number: String(revision.number),
        summary: revision.summary,
      }))
    : [{ date: instant(advisory.updatedAt), number: '0', summary: 'Draft for review.' }];
  const latest = history.at(-1) as { date: string; number: string };
  const cweId = advisory.cweIds.find((id) => cweName(id) !== undefined);
  const vulnerabilityNotes = [
    { category: 'summary', title: 'Summary', text: advisory.summary || advisory.title },
    ...(advisory.description.trim()
      ? [{ category: 'description', title: 'Details', text: advisory.description }]
      : []),
    ...(advisory.cweIds.length > 1
      ? [{ category: 'other', title: 'Weaknesses', text: advisory.cweIds.join(', ') }]
      : []),
  ];

  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: publisher.lang,
      title: advisory.title,
      publisher: { category: 'vendor', name: publisher.name, namespace: publisher.publicUrl },
      distribution: {
        tlp: published
          ? { label: 'WHITE', url: 'https://www.first.org/tlp/' }
          : { label: 'AMBER', url: 'https://www.first.org/tlp/' },
      },
      notes: [
        { category: 'summary', title: 'Summary', text: advisory.summary || advisory.title },
        {
          category: 'legal_disclaimer',
          title: 'Terms of use',
          text: `This advisory is provided by ${publisher.name} as is, to help protect its users.`,
        },
      ],
      references: [
        { category: 'self', summary: 'This advisory in CSAF format', url: selfUrl },
        { category: 'self', summary: 'This advisory on the web', url: page },
        ...advisory.references.map((url) => ({ category: 'external', summary: 'Reference', url })),
      ],
      ...(advisory.cvssV3 ? { aggregate_severity: { text: advisory.cvssV3.baseSeverity } } : {}),
      tracking: {
        id: advisory.identifier,
        status: published ? 'final' : 'draft',
        version: latest.number,
        initial_release_date: published ? (history[0]?.date ?? latest.date) : instant(advisory.createdAt),
        current_release_date: latest.date,
        revision_history: history,
        generator: { engine: { name: 'Attest' }, date: latest.date },
      },
    },
    ...(productBranches.length > 0
      ? {
          product_tree: {
            branches: [{ category: 'vendor', name: publisher.name, branches: productBranches }],
          },
        }
      : {}),
    vulnerabilities: [
      {
        ...(advisory.cveId ? { cve: advisory.cveId } : {}),
        ...(cweId ? { cwe: { id: cweId, name: cweName(cweId) } } : {}),
        title: advisory.title,
        notes: vulnerabilityNotes,
        ...(knownAffected.length > 0
          ? { product_status: { known_affected: knownAffected, ...(fixed.length > 0 ? { fixed } : {}) } }
          : {}),
        ...(advisory.cvssV3 && knownAffected.length > 0
          ? {
              scores: [
                {
                  products: knownAffected,
                  cvss_v3: {
                    version: '3.1',
                    vectorString: advisory.cvssV3.vector,
                    baseScore: advisory.cvssV3.baseScore,
                    baseSeverity: advisory.cvssV3.baseSeverity,
                  },
                },
              ],
            }
          : {}),
        ...(remediations.length > 0 ? { remediations } : {}),
        ...(advisory.credits.length > 0
          ? {
              acknowledgments: advisory.credits.map((credit) => ({
                names: [credit.name],
                summary: credit.type.replaceAll('_', ' '),
              })),
            }
          : {}),
        references: [{ category: 'self', summary: 'Advisory', url: page }],
        ...(advisory.publishedAt ? { release_date: instant(advisory.publishedAt) } : {}),
      },
    ],
  };
}
