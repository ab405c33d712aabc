import type { CvssScore } from './advisories.cvss.ts';
import type { AffectedProduct, Credit } from './advisories.schemas.ts';

/**
 * An advisory as the exports read it: parsed fields, computed scores, and the revision history of its
 * public life. Every export is a pure function of this and of who publishes it.
 */
export type AdvisoryData = {
  identifier: string;
  cveId: string | null;
  status: 'draft' | 'shared' | 'published';
  title: string;
  summary: string;
  description: string;
  affected: AffectedProduct[];
  cvssV3: CvssScore | null;
  cvssV4: CvssScore | null;
  cweIds: string[];
  credits: Credit[];
  references: string[];
  embargoUntil: Date | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  revision: number;
  /** Public revisions, oldest first: 1 is the first publication. Empty before publication. */
  revisions: { number: number; date: Date; summary: string }[];
};

export type Publisher = {
  /** The organisation's name (vendor of the affected products). */
  name: string;
  /** Absolute origin of the public site, without trailing slash. */
  publicUrl: string;
  /** The language the advisory is written in (the site's default). */
  lang: string;
  /** cve5 only: the CNA's organisation UUID. */
  cnaOrgId?: string;
};

/** The public page of an advisory, in the site's default language. */
export function advisoryPageUrl(publisher: Publisher, identifier: string): string {
  return `${publisher.publicUrl}/${publisher.lang}/security/advisories/${identifier}`;
}

/** The stable URL of an advisory's OSV record. */
export function osvPath(identifier: string): string {
  return `/security/osv/${identifier}.json`;
}

/** CSAF file name rule (CSAF 2.0 §5.1): the tracking id in lower case, other characters as '_'. */
export function csafFileName(identifier: string): string {
  return `${identifier.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/** The year folder of a CSAF document: the year of its first publication (UTC). */
export function csafYear(advisory: Pick<AdvisoryData, 'publishedAt' | 'createdAt'>): number {
  return (advisory.publishedAt ?? advisory.createdAt).getUTCFullYear();
}

export function csafPath(advisory: Pick<AdvisoryData, 'identifier' | 'publishedAt' | 'createdAt'>): string {
  return `/.well-known/csaf/white/${csafYear(advisory)}/${csafFileName(advisory.identifier)}`;
}

export const CSAF_PROVIDER_METADATA_PATH = '/.well-known/csaf/provider-metadata.json';

/** RFC 3339 instant, seconds precision, Z: accepted by all four formats' timestamp patterns. */
export function instant(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A product's label: its name and the versions it names, "webapp >=1.0.0 <1.2.3". */
export function rangeLabel(range: { introduced: string; fixed?: string; lastAffected?: string }): string {
  const from = range.introduced === '0' ? '' : `>=${range.introduced}`;
  const to = range.fixed ? `<${range.fixed}` : range.lastAffected ? `<=${range.lastAffected}` : '';
  return [from, to].filter(Boolean).join(' ') || '*';
}
