import {
  type AdvisoryData,
  advisoryPageUrl,
  instant,
  type Publisher,
} from '../advisories/advisories.export.ts';
import { ecosystemPackageName, osvEcosystem, packagePurl, parsePurl } from '../advisories/advisories.purl.ts';

/** The OSV schema version these records follow (https://ossf.github.io/osv-schema/). */
export const OSV_SCHEMA_VERSION = '1.7.0';

/**
 * OSV ids start with a registered database prefix; until the organisation registers one, its records use
 * the `x_` prefix the schema keeps for unregistered databases, and the CVE id (if any) is an alias.
 */
export function osvId(identifier: string): string {
  return `x_${identifier}`;
}

function referenceType(url: string): string {
  if (/\/(commit|commits|pull|merge_requests)\//.test(url)) return 'FIX';
  if (/\/(releases|tags)\b/.test(url)) return 'PACKAGE';
  return 'WEB';
}

/** An OSV record (JSON Schema: osv-schema validation/schema.json). Products without an OSV ecosystem are listed in database_specific. */
export function toOsv(advisory: AdvisoryData, publisher: Publisher): Record<string, unknown> {
  const affected: Record<string, unknown>[] = [];
  const otherProducts: { name: string; purl: string }[] = [];
  for (const product of advisory.affected) {
    const purl = parsePurl(product.purl);
    const ecosystem = typeof purl === 'string' ? undefined : osvEcosystem(purl);
    if (typeof purl === 'string' || !ecosystem) {
      otherProducts.push({ name: product.name, purl: product.purl });
      continue;
    }
    affected.push({
      package: { ecosystem, name: ecosystemPackageName(purl), purl: packagePurl(purl) },
      ...(product.ranges.length > 0
        ? {
            ranges: product.ranges.map((range) => ({
              type: 'ECOSYSTEM',
              events: [
                { introduced: range.introduced },
                ...(range.fixed ? [{ fixed: range.fixed }] : []),
                ...(range.lastAffected ? [{ last_affected: range.lastAffected }] : []),
              ],
            })),
          }
        : {}),
      ...(product.versions.length > 0 ? { versions: product.versions } : {}),
      database_specific: { product: product.name },
    });
  }
  const severity = [
    ...(advisory.cvssV3 ? [{ type: 'CVSS_V3', score: advisory.cvssV3.vector }] : []),
    ...(advisory.cvssV4 ? [{ type: 'CVSS_V4', score: advisory.cvssV4.vector }] : []),
  ];
  const page = advisoryPageUrl(publisher, advisory.identifier);
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(advisory.identifier),
    modified: instant(advisory.updatedAt),
    ...(advisory.publishedAt ? { published: instant(advisory.publishedAt) } : {}),
    aliases: advisory.cveId ? [advisory.cveId] : [],
    summary: advisory.title,
    details: [advisory.summary, advisory.description].filter((part) => part.trim() !== '').join('\n\n'),
    ...(severity.length > 0 ? { severity } : {}),
    affected,
    references: [
      { type: 'ADVISORY', url: page },
      ...advisory.references.map((url) => ({ type: referenceType(url), url })),
    ],
    credits: advisory.credits.map((credit) => ({
      name: credit.name,
      type: credit.type.toUpperCase(),
      ...(credit.githubLogin ? { contact: [`https://github.com/${credit.githubLogin}`] } : {}),
    })),
    database_specific: {
      identifier: advisory.identifier,
      source: page,
      cwe_ids: advisory.cweIds,
      ...(advisory.cvssV3 ? { severity: advisory.cvssV3.baseSeverity } : {}),
      ...(otherProducts.length > 0 ? { other_affected_products: otherProducts } : {}),
    },
  };
}
