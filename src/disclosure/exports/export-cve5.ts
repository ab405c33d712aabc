import {
  type AdvisoryData,
  advisoryPageUrl,
  instant,
  type Publisher,
} from '../advisories/advisories.export.ts';
import { markdownToText } from '../advisories/advisories.markdown.ts';
import { ecosystemPackageName, parsePurl } from '../advisories/advisories.purl.ts';
import { FROM_THE_START } from '../advisories/advisories.versions.ts';
import { cweName } from './export-csaf.ts';

/** The official Semantic Versioning 2.0.0 pattern (semver.org): what CVE tools accept as `semver`. */
const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** The lowest semantic version: "from the start" where a range must be semver throughout. */
const SEMVER_START = '0.0.0';

/** CVE `versionType` names of ecosystems whose scheme is not semver. */
const VERSION_TYPES: Record<string, string> = { pypi: 'python', maven: 'maven', gem: 'rubygems' };

const creditType = (type: string) => type.replaceAll('_', ' ');

/**
 * How a range's versions compare: the ecosystem's scheme where CVE names one (Python, Maven, RubyGems),
 * else `semver` when each version is a full semantic version ("0", from the start, becomes 0.0.0: "0"
 * is no semver and cvelint's E007 refuses it), else `custom`.
 */
function versionType(purlText: string, versions: string[]): string {
  const purl = parsePurl(purlText);
  const ecosystem = typeof purl === 'string' ? undefined : VERSION_TYPES[purl.type];
  if (ecosystem) return ecosystem;
  if (versions.every((version) => version === FROM_THE_START || STRICT_SEMVER.test(version))) return 'semver';
  return 'custom';
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
      // No end: every version from `introduced` on ('*' is allowed in lessThan only).
      const bound = range.fixed
        ? { lessThan: range.fixed }
        : range.lastAffected
          ? { lessThanOrEqual: range.lastAffected }
          : { lessThan: '*' };
      const compared = [range.introduced, range.fixed, range.lastAffected].filter(
        (version): version is string => version !== undefined,
      );
      const type = versionType(product.purl, compared);
      return {
        version: type === 'semver' && range.introduced === FROM_THE_START ? SEMVER_START : range.introduced,
        status: 'affected',
        versionType: type,
        ...bound,
      };
    });
    const versions = product.versions.map((version) => ({ version, status: 'affected' }));
    const purl = parsePurl(product.purl);
    return {
      vendor: publisher.name,
      product: product.name,
      ...(typeof purl === 'string' ? {} : { packageName: ecosystemPackageName(purl) }),
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
  // CVE descriptions are plain text; the Markdown travels beside it as supporting media.
  const markdown = [advisory.summary, advisory.description].filter((part) => part.trim() !== '').join('\n\n');
  const plain = markdownToText(markdown) || advisory.title;
  const description = {
    lang: 'en',
    value: plain.slice(0, 4096),
    ...(advisory.description.trim() !== ''
      ? { supportingMedia: [{ type: 'text/markdown', base64: false, value: markdown }] }
      : {}),
  };
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
        descriptions: [description],
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
