import type { AdvisoryData } from '../advisories/advisories.export.ts';
import { ecosystemPackageName, githubEcosystem, parsePurl } from '../advisories/advisories.purl.ts';
import type { VersionRange } from '../advisories/advisories.schemas.ts';

/** GitHub's range syntax: ">= 1.0.0, < 1.2.3", "<= 2.0.1", "< 3.0.0". */
function githubRange(range: VersionRange): string {
  const from = range.introduced === '0' ? [] : [`>= ${range.introduced}`];
  const to = range.fixed ? [`< ${range.fixed}`] : range.lastAffected ? [`<= ${range.lastAffected}`] : [];
  return [...from, ...to].join(', ') || '>= 0';
}

/**
 * The body of GitHub's "create a repository security advisory" request
 * (POST /repos/{owner}/{repo}/security-advisories). Credits need GitHub logins, so only credits
 * with one are sent. The CVSS 3.1 vector is sent when there is one; otherwise the severity rating.
 */
export function toGithubAdvisory(advisory: AdvisoryData): Record<string, unknown> {
  const vulnerabilities = advisory.affected.flatMap((product) => {
    const purl = parsePurl(product.purl);
    const pkg =
      typeof purl === 'string'
        ? { ecosystem: 'other', name: product.name }
        : { ecosystem: githubEcosystem(purl), name: ecosystemPackageName(purl) };
    const ranges = product.ranges.map((range) => ({
      package: pkg,
      vulnerable_version_range: githubRange(range),
      patched_versions: range.fixed ?? null,
      vulnerable_functions: [],
    }));
    const versions = product.versions.map((version) => ({
      package: pkg,
      vulnerable_version_range: `= ${version}`,
      patched_versions: null,
      vulnerable_functions: [],
    }));
    return [...ranges, ...versions];
  });
  const fallbackSeverity = advisory.cvssV4?.baseSeverity;
  const severity =
    advisory.cvssV3 !== null
      ? { cvss_vector_string: advisory.cvssV3.vector }
      : fallbackSeverity && fallbackSeverity !== 'NONE'
        ? { severity: fallbackSeverity.toLowerCase() }
        : {};
  return {
    summary: advisory.title,
    description:
      [advisory.summary, advisory.description].filter((part) => part.trim() !== '').join('\n\n') ||
      advisory.title,
    cve_id: advisory.cveId,
    vulnerabilities,
    cwe_ids: advisory.cweIds,
    credits: advisory.credits
      .filter((credit) => credit.githubLogin)
      .map((credit) => ({ login: credit.githubLogin, type: credit.type })),
    ...severity,
  };
}
