import { escapeHtml } from '../../core/mail/html.ts';
import {
  type AdvisoryData,
  CSAF_PROVIDER_METADATA_PATH,
  csafFileName,
  csafYear,
  instant,
  type Publisher,
} from './advisories.export.ts';

/**
 * The CSAF 2.0 provider's distribution (CSAF 2.0 §7.1): provider-metadata.json, and a directory-based
 * distribution of TLP:WHITE documents under /.well-known/csaf/white/ with index.txt, changes.csv,
 * directory listings, and SHA-256/SHA-512 files next to each document.
 */

export const CSAF_WHITE_DIR = '/.well-known/csaf/white/';
/** Where the public keys that signed the documents are served, one `<FINGERPRINT>.asc` each. */
export const CSAF_KEYS_DIR = '/.well-known/csaf/openpgp/';

/** The newest change among the documents, or now when there are none (metadata must carry a date). */
function lastUpdated(advisories: AdvisoryData[]): string {
  const latest = advisories.reduce<Date | undefined>(
    (newest, advisory) => (!newest || advisory.updatedAt > newest ? advisory.updatedAt : newest),
    undefined,
  );
  return instant(latest ?? new Date(0));
}

/** provider-metadata.json (JSON Schema: oasis provider_json_schema.json). */
export function providerMetadata(
  publisher: Pick<Publisher, 'name' | 'publicUrl'>,
  advisories: AdvisoryData[],
  keys: { fingerprint: string; url: string }[] = [],
): Record<string, unknown> {
  return {
    canonical_url: `${publisher.publicUrl}${CSAF_PROVIDER_METADATA_PATH}`,
    distributions: [{ directory_url: `${publisher.publicUrl}${CSAF_WHITE_DIR}` }],
    last_updated: lastUpdated(advisories),
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    ...(keys.length > 0 ? { public_openpgp_keys: keys } : {}),
    publisher: { category: 'vendor', name: publisher.name, namespace: publisher.publicUrl },
    role: 'csaf_provider',
  };
}

/** A document's path relative to the white directory: `2026/acme-2026-0001.json`. */
export function relativeCsafPath(advisory: AdvisoryData): string {
  return `${csafYear(advisory)}/${csafFileName(advisory.identifier)}`;
}

/** index.txt (requirement 12): one relative path per line. */
export function indexTxt(advisories: AdvisoryData[]): string {
  return advisories.map((advisory) => `${relativeCsafPath(advisory)}\n`).join('');
}

/** changes.csv (requirement 13): "path","last change", newest change first. */
export function changesCsv(advisories: AdvisoryData[]): string {
  return [...advisories]
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    .map((advisory) => `"${relativeCsafPath(advisory)}","${instant(advisory.updatedAt)}"\n`)
    .join('');
}

/** A bare directory listing (requirement 14): the names in a folder, as links. */
export function directoryListing(path: string, names: string[]): string {
  const items = names
    .map((name) => `<li><a href="${escapeHtml(name)}">${escapeHtml(name)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Index of ${escapeHtml(path)}</title></head>
<body>
<h1>Index of ${escapeHtml(path)}</h1>
<ul>
${items}
</ul>
</body>
</html>
`;
}

/** The names in the white directory: the years, then index.txt and changes.csv. */
export function whiteDirectoryNames(advisories: AdvisoryData[]): string[] {
  const years = [...new Set(advisories.map(csafYear))].sort((a, b) => b - a);
  return [...years.map((year) => `${year}/`), 'changes.csv', 'index.txt'];
}

/** The names in one year's folder: each document, its hash files and, when signed, its signature. */
export function yearDirectoryNames(
  advisories: AdvisoryData[],
  year: number,
  signed: (identifier: string) => boolean = () => false,
): string[] {
  return advisories
    .filter((advisory) => csafYear(advisory) === year)
    .flatMap((advisory) => {
      const name = csafFileName(advisory.identifier);
      return [
        name,
        ...(signed(advisory.identifier) ? [`${name}.asc`] : []),
        `${name}.sha256`,
        `${name}.sha512`,
      ];
    });
}
