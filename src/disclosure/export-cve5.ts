import { type AdvisoryData, advisoryPageUrl, instant, type Publisher } from './advisories.export.ts';
import { parsePurl } from './advisories.purl.ts';
import { cweName } from './export-csaf.ts';

const SEMVER = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/;

const creditType = (type: string) => type.replaceAll('_', ' ');

/** How versions compare: semver when every version of the range looks like one, else the purl's ecosystem. */
function versionType(purlText: string, versions: string[]): string {
  if (versions.every((version) => version === '0' || SEMVER.test(version))) return 'semver';
  const purl = parsePurl(purlText);
  return typeof purl === 'string' ? 'custom' : purl.type;
}

/**
 * A CVE JSON 5 record (CVE Record Format 5.1, state PUBLISHED) with the organisation's CNA container: what
 * a CNA submits to CVE Services. Needs the advisory's CVE id and the CNA's organisation UUID. CVE
 * Services requires an English description, so the text is labelled `en` (advisories are written in English).
 */
export function toCve5(advisory: AdvisoryData, publisher: Publisher): Record<string, unknown> {
  const orgId = publisher.cnaOrgId as string;
  const page = advisoryPageUrl(publisher, advisory.identifier);
  const affected = advisory.affected.map((product) => {
    const ranges = product.ranges.map((range) => {
      const bound = range.fixed ? { lessThan: range.fixed } : { lessThanOrEqual: range.lastAffected ?? '*' };
      const compared = [range.introduced, range.fixed, range.lastAffected].filter(
        (version): version is string => version !== undefined,
      );
      return {
        version: range.introduced,
        status: 'affected',
        versionType: versionType(product.purl, compared),
        ...bound,
      };
    });
    const versions = product.versions.map((version) => ({ version, status: 'affected' }));
    const purl = parsePurl(product.purl);
    return {
      vendor: publisher.name,
      product: product.name,
      ...(typeof purl === 'string'
        ? {}
        : { packageName: purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name }),
      versions: [...ranges, ...versions],
      defaultStatus: 'unaffected',
    };
  });
  const metrics = [
    ...(advisory.cvssV4
      ? [
          {
            format: 'CVSS',
            scenarios: [{ lang: 'en', value: 'GENERAL' }],
            cvssV4_0: {
              version: '4.0',
              vectorString: advisory.cvssV4.vector,
              baseScore: advisory.cvssV4.baseScore,
              baseSeverity: advisory.cvssV4.baseSeverity,
            },
          },
        ]
      : []),
    ...(advisory.cvssV3
      ? [
          {
            format: 'CVSS',
            scenarios: [{ lang: 'en', value: 'GENERAL' }],
            cvssV3_1: {
              version: '3.1',
              vectorString: advisory.cvssV3.vector,
              baseScore: advisory.cvssV3.baseScore,
              baseSeverity: advisory.cvssV3.baseSeverity,
            },
          },
        ]
      : []),
  ];
  const problemTypes = advisory.cweIds.map((id) => ({
    descriptions: [
      { lang: 'en', type: 'CWE', cweId: id, description: cweName(id) ? `${id} ${cweName(id)}` : id },
    ],
  }));
  const description =
    [advisory.summary, advisory.description].filter((part) => part.trim() !== '').join('\n\n') ||
    advisory.title;
  const updated = instant(advisory.updatedAt);
  return {
    dataType: 'CVE_RECORD',
    dataVersion: '5.1',
    cveMetadata: {
      cveId: advisory.cveId,
      assignerOrgId: orgId,
      state: 'PUBLISHED',
      dateUpdated: updated,
      ...(advisory.publishedAt ? { datePublished: instant(advisory.publishedAt) } : {}),
    },
    containers: {
      cna: {
        providerMetadata: { orgId, dateUpdated: updated },
        title: advisory.title,
        ...(advisory.publishedAt ? { datePublic: instant(advisory.publishedAt) } : {}),
        descriptions: [{ lang: 'en', value: description.slice(0, 4096) }],
        affected,
        ...(problemTypes.length > 0 ? { problemTypes } : {}),
        references: [
          { url: page, name: advisory.identifier, tags: ['vendor-advisory'] },
          ...advisory.references.map((url) => ({ url })),
        ],
        ...(metrics.length > 0 ? { metrics } : {}),
        ...(advisory.credits.length > 0
          ? {
              credits: advisory.credits.map((credit) => ({
                lang: 'en',
                value: credit.name,
                type: creditType(credit.type),
              })),
            }
          : {}),
        source: { discovery: advisory.credits.length > 0 ? 'EXTERNAL' : 'UNKNOWN' },
      },
    },
  };
}
