/**
 * Package URLs (https://github.com/package-url/purl-spec): `pkg:type/namespace/name@version?qualifiers#subpath`.
 * Advisories name each affected product by its purl; the exports turn it into each format's package
 * coordinates (OSV ecosystem and name, GitHub ecosystem and name).
 */

export type Purl = {
  type: string;
  /** Decoded namespace segments joined by '/', or undefined. */
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
  subpath?: string;
};

const TYPE = /^[a-zA-Z][a-zA-Z0-9.+-]*$/;
/** A path segment: unreserved and sub-delims characters, ':' and '@', or percent-escapes. */
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})+$/;
const QUALIFIER_KEY = /^[a-zA-Z.\-_][a-zA-Z0-9.\-_]*$/;

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Parses a purl, or returns a sentence saying what is wrong with it. */
export function parsePurl(input: string): Purl | string {
  if (!input.startsWith('pkg:')) return 'must start with "pkg:"';
  let rest = input.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const [key = '', value = ''] = pair.split('=', 2);
      if (!QUALIFIER_KEY.test(key) || value === '') return `qualifier "${pair}" must be key=value`;
      const decoded = decode(value);
      if (decoded === undefined) return `qualifier "${key}" has a bad percent-escape`;
      qualifiers[key.toLowerCase()] = decoded;
    }
    rest = rest.slice(0, question);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  const slash = rest.indexOf('/');
  if (at > slash && slash >= 0) {
    version = decode(rest.slice(at + 1));
    if (!version) return 'the version after "@" is empty or badly escaped';
    rest = rest.slice(0, at);
  }
  const segments = rest.split('/').filter((segment) => segment !== '');
  const [type, ...path] = segments;
  if (!type || !TYPE.test(type))
    return 'the type (pkg:TYPE/…) must start with a letter: letters, digits, ".", "+", "-"';
  if (path.length === 0) return 'a name is required after the type (pkg:type/namespace/name)';
  for (const segment of path) {
    if (!SEGMENT.test(segment)) return `"${segment}" has characters that must be percent-encoded`;
  }
  const decoded = path.map(decode);
  if (decoded.some((segment) => segment === undefined)) return 'a segment has a bad percent-escape';
  const name = decoded.at(-1) as string;
  const namespace = decoded.length > 1 ? decoded.slice(0, -1).join('/') : undefined;
  return { type: type.toLowerCase(), namespace, name, version, qualifiers, subpath };
}

/** OSV ecosystem of a purl type (https://ossf.github.io/osv-schema/#affectedpackage-field), when there is one. */
const OSV_ECOSYSTEMS: Record<string, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  hackage: 'Hackage',
  cran: 'CRAN',
  conan: 'ConanCenter',
};

/** GitHub advisory ecosystems; every other package is `other`. */
const GITHUB_ECOSYSTEMS: Record<string, string> = {
  npm: 'npm',
  pypi: 'pip',
  maven: 'maven',
  golang: 'go',
  cargo: 'rust',
  gem: 'rubygems',
  nuget: 'nuget',
  composer: 'composer',
  hex: 'erlang',
  pub: 'pub',
  swift: 'swift',
};

/** The package's name as its ecosystem writes it: `@scope/name`, `group:artifact`, `vendor/name`. */
export function ecosystemPackageName(purl: Purl): string {
  if (!purl.namespace) return purl.name;
  if (purl.type === 'maven') return `${purl.namespace}:${purl.name}`;
  return `${purl.namespace}/${purl.name}`;
}

export function osvEcosystem(purl: Purl): string | undefined {
  return OSV_ECOSYSTEMS[purl.type];
}

export function githubEcosystem(purl: Purl): string {
  return GITHUB_ECOSYSTEMS[purl.type] ?? 'other';
}

/** The purl without version, qualifiers or subpath: the package, not one of its releases. */
export function packagePurl(purl: Purl): string {
  const encode = (segment: string) => encodeURIComponent(segment).replace(/%3A/g, ':');
  const namespace = purl.namespace ? `${purl.namespace.split('/').map(encode).join('/')}/` : '';
  return `pkg:${purl.type}/${namespace}${encode(purl.name)}`;
}
