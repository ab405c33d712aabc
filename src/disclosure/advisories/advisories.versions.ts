import * as pep440 from '@renovatebot/pep440';
import * as rubygems from '@renovatebot/ruby-semver';
import semver from 'semver';
import { parsePurl } from './advisories.purl.ts';

/**
 * Version schemes of package ecosystems: what a valid version is and how two compare. Each comes from
 * the maintained library of its ecosystem's rules (npm's semver, PEP 440, RubyGems' Gem::Version).
 * Ecosystems without one here (Maven, NuGet, Composer, generic, …) have no ordering check: their
 * versions are kept as written, and only a range whose ends are the same version is refused.
 */
export type VersionScheme = {
  /** How people name the scheme, for messages. */
  label: string;
  valid: (version: string) => boolean;
  /** Negative, zero or positive as a sorts before, with or after b. Both must be valid. */
  compare: (a: string, b: string) => number;
};

const SEMVER: VersionScheme = {
  label: 'semantic version (MAJOR.MINOR.PATCH)',
  valid: (version) => semver.valid(version) !== null,
  compare: (a, b) => semver.compare(a, b),
};

const PEP440: VersionScheme = {
  label: 'PEP 440 version',
  valid: (version) => pep440.valid(version) !== null,
  compare: (a, b) => pep440.compare(a, b),
};

const RUBYGEMS: VersionScheme = {
  label: 'RubyGems version',
  valid: (version) => rubygems.valid(version) !== null,
  compare: (a, b) => (rubygems.eq(a, b) ? 0 : rubygems.lt(a, b) ? -1 : 1),
};

/** The scheme of each purl type whose ecosystem has one (Go modules, crates, Hex, Pub and SwiftPM use semver). */
const SCHEMES: Record<string, VersionScheme> = {
  npm: SEMVER,
  cargo: SEMVER,
  golang: SEMVER,
  hex: SEMVER,
  pub: SEMVER,
  swift: SEMVER,
  pypi: PEP440,
  gem: RUBYGEMS,
};

export function versionSchemeOf(purlText: string): VersionScheme | undefined {
  const purl = parsePurl(purlText);
  return typeof purl === 'string' ? undefined : SCHEMES[purl.type];
}

/** '0' as `introduced` means "from the first release": it is no version of any scheme. */
export const FROM_THE_START = '0';

type Range = { introduced: string; fixed?: string; lastAffected?: string };
export type VersionIssue = { path: (string | number)[]; message: string };

/**
 * What is wrong with a product's versions: a version its ecosystem cannot have, or a range that holds
 * no version at all (fixed at or before introduced, last affected before introduced). Paths are
 * relative to the product (`['ranges', 0, 'fixed']`), so a 422 points at the offending range.
 */
export function versionIssues(product: {
  purl: string;
  ranges: Range[];
  versions: string[];
}): VersionIssue[] {
  const scheme = versionSchemeOf(product.purl);
  const issues: VersionIssue[] = [];
  const invalid = (version: string) => scheme !== undefined && !scheme.valid(version);
  const notA = (version: string) => `"${version}" is not a ${scheme?.label}`;
  product.ranges.forEach((range, index) => {
    const at = (field: keyof Range) => ['ranges', index, field];
    const { introduced, fixed, lastAffected } = range;
    const fromStart = introduced === FROM_THE_START;
    let ordered = true;
    if (!fromStart && invalid(introduced)) {
      issues.push({ path: at('introduced'), message: notA(introduced) });
      ordered = false;
    }
    for (const [field, end] of [
      ['fixed', fixed],
      ['lastAffected', lastAffected],
    ] as const) {
      if (end === undefined) continue;
      if (end === FROM_THE_START || invalid(end)) {
        issues.push({
          path: at(field),
          message: end === FROM_THE_START ? `"0" only means "from the start" as introduced` : notA(end),
        });
        continue;
      }
      if (fromStart || !ordered) continue;
      const order = scheme ? scheme.compare(introduced, end) : introduced === end ? 0 : -1;
      // fixed is the first version without the flaw: it must come after introduced; lastAffected may equal it.
      if (field === 'fixed' ? order >= 0 : order > 0) {
        issues.push({
          path: at(field),
          message:
            field === 'fixed'
              ? `empty range: fixed ${end} must come after introduced ${introduced}`
              : `empty range: last affected ${end} comes before introduced ${introduced}`,
        });
      }
    }
  });
  product.versions.forEach((version, index) => {
    if (invalid(version)) issues.push({ path: ['versions', index], message: notA(version) });
  });
  return issues;
}
