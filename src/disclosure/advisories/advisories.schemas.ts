import { z } from 'zod';
import { Id, PageQuery, Timestamp } from '../../core/http/fields.ts';
import { type CvssVersion, scoreCvss } from './advisories.cvss.ts';
import { parsePurl } from './advisories.purl.ts';
import { versionIssues } from './advisories.versions.ts';

/** Public identifiers: PREFIX-YYYY-NNNN (the prefix comes from the organisation's name). */
export const IDENTIFIER = /^[A-Z][A-Z0-9]{0,11}-\d{4}-\d{4,6}$/;
export const CveId = z.string().regex(/^CVE-\d{4}-\d{4,19}$/, { error: 'a CVE id such as CVE-2026-12345' });
export const CweId = z.string().regex(/^CWE-[1-9]\d{0,5}$/, { error: 'a CWE id such as CWE-79' });

export const Purl = z
  .string()
  .trim()
  .max(500)
  .superRefine((value, check) => {
    const parsed = parsePurl(value);
    if (typeof parsed === 'string')
      check.addIssue({ code: 'custom', message: `not a package URL: ${parsed}` });
  })
  .describe('Package URL, pkg:type/namespace/name (https://github.com/package-url/purl-spec)');

const cvssVector = (version: CvssVersion) =>
  z
    .string()
    .trim()
    .max(300)
    .superRefine((value, check) => {
      const scored = scoreCvss(version, value);
      if (typeof scored === 'string') {
        check.addIssue({ code: 'custom', message: `not a CVSS ${version} vector: ${scored}` });
      }
    });
export const CvssV3Vector = cvssVector('3.1').describe('CVSS 3.1 vector, CVSS:3.1/AV:N/AC:L/…');
export const CvssV4Vector = cvssVector('4.0').describe('CVSS 4.0 vector, CVSS:4.0/AV:N/AC:L/AT:N/…');

/** A version as the product writes it; '0' as `introduced` means "from the first release". */
const Version = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\s<>=|,]+$/, { error: 'one version, without spaces or comparison signs' });

export const VersionRange = z
  .strictObject({
    introduced: Version.describe('First affected version; "0" for every version before `fixed`'),
    fixed: Version.optional().describe('First version with the fix'),
    lastAffected: Version.optional().describe('Last affected version, when no fixed version exists'),
  })
  .refine((range) => !(range.fixed && range.lastAffected), {
    error: 'give fixed or lastAffected, not both',
    path: ['lastAffected'],
  });
export type VersionRange = z.infer<typeof VersionRange>;

export const AffectedProduct = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('The product as people call it'),
    purl: Purl,
    ranges: z.array(VersionRange).max(20).default([]),
    versions: z.array(Version).max(200).default([]).describe('Single affected versions, besides the ranges'),
  })
  .refine((product) => product.ranges.length + product.versions.length > 0, {
    error: 'give at least one version range or version',
    path: ['ranges'],
  })
  .superRefine((product, check) => {
    // Versions are checked against the package ecosystem's scheme, and no range may be empty.
    for (const issue of versionIssues(product)) {
      check.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  });
export type AffectedProduct = z.infer<typeof AffectedProduct>;

export const creditTypes = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation_developer',
  'remediation_reviewer',
  'remediation_verifier',
  'tool',
  'sponsor',
  'other',
] as const;
export type CreditType = (typeof creditTypes)[number];

export const Credit = z.strictObject({
  name: z.string().trim().min(1).max(200),
  type: z.enum(creditTypes),
  githubLogin: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, { error: 'a GitHub user name' })
    .optional()
    .describe('Credited by name on GitHub advisories'),
});
export type Credit = z.infer<typeof Credit>;

const Reference = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL' })
  .max(2000)
  .describe('An http(s) URL: fix commit, release notes, write-up');

const unique = <T>(items: T[]) => new Set(items).size === items.length;

const AdvisoryFields = z.strictObject({
  title: z.string().trim().min(1).max(256),
  summary: z.string().trim().max(1000).default('').describe('One or two plain sentences'),
  description: z.string().max(50_000).default('').describe('Markdown; raw HTML is shown as text'),
  cveId: CveId.nullable().default(null),
  affected: z.array(AffectedProduct).max(50).default([]),
  cvssV3Vector: CvssV3Vector.nullable().default(null),
  cvssV4Vector: CvssV4Vector.nullable().default(null),
  cweIds: z.array(CweId).max(10).refine(unique, { error: 'each CWE once' }).default([]),
  credits: z.array(Credit).max(50).default([]),
  references: z.array(Reference).max(50).refine(unique, { error: 'each URL once' }).default([]),
  reportId: Id.nullable().default(null).describe('The report this advisory discloses'),
  embargoUntil: Timestamp.nullable()
    .default(null)
    .describe('Publishing before this instant needs force: true'),
});

export const CreateAdvisoryBody = AdvisoryFields;
export type CreateAdvisoryBody = z.infer<typeof CreateAdvisoryBody>;

export const UpdateAdvisoryBody = z
  .strictObject({
    title: AdvisoryFields.shape.title,
    summary: z.string().trim().max(1000),
    description: z.string().max(50_000),
    cveId: CveId.nullable(),
    affected: z.array(AffectedProduct).max(50),
    cvssV3Vector: CvssV3Vector.nullable(),
    cvssV4Vector: CvssV4Vector.nullable(),
    cweIds: z.array(CweId).max(10).refine(unique, { error: 'each CWE once' }),
    credits: z.array(Credit).max(50),
    references: z.array(Reference).max(50).refine(unique, { error: 'each URL once' }),
    reportId: Id.nullable(),
    embargoUntil: Timestamp.nullable(),
    revisionSummary: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe('What changed, for the revision history of a published advisory'),
  })
  .partial()
  .refine((body) => Object.keys(body).some((key) => key !== 'revisionSummary'), {
    error: 'change at least one field',
  });
export type UpdateAdvisoryBody = z.infer<typeof UpdateAdvisoryBody>;

export const AdvisoryParams = z.strictObject({ advisoryId: Id });
export const exportFormats = ['osv', 'csaf', 'cve5', 'github'] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const ExportParams = z.strictObject({ advisoryId: Id, format: z.enum(exportFormats) });
export const ExportQuery = z.strictObject({
  cnaOrgId: z
    .uuid({ version: 'v4' })
    .optional()
    .describe('cve5 only: the CNA organisation UUID from CVE Services (assigner and provider)'),
});

export const PublishBody = z
  .strictObject({
    force: z.boolean().default(false).describe('Publish although the embargo date is still ahead'),
  })
  .default({ force: false });

export const advisoryStatuses = ['draft', 'shared', 'published'] as const;
export const ListAdvisoriesQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional().describe('Searches identifiers, CVE ids, titles and summaries'),
  status: z.enum(advisoryStatuses).optional(),
});
export type ListAdvisoriesQuery = z.infer<typeof ListAdvisoriesQuery>;

const ScoreView = z.object({
  vector: z.string(),
  baseScore: z.number(),
  baseSeverity: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
});

export const AdvisoryView = z.object({
  id: Id,
  identifier: z.string(),
  cveId: z.string().nullable(),
  status: z.enum(advisoryStatuses),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  affected: z.array(
    z.object({
      name: z.string(),
      purl: z.string(),
      ranges: z.array(
        z.object({
          introduced: z.string(),
          fixed: z.string().optional(),
          lastAffected: z.string().optional(),
        }),
      ),
      versions: z.array(z.string()),
    }),
  ),
  cvssV3: ScoreView.nullable(),
  cvssV4: ScoreView.nullable(),
  cweIds: z.array(z.string()),
  credits: z.array(
    z.object({ name: z.string(), type: z.enum(creditTypes), githubLogin: z.string().optional() }),
  ),
  references: z.array(z.string()),
  reportId: z.string().nullable(),
  embargoUntil: z.string().nullable(),
  publishedAt: z.string().nullable(),
  revision: z.number().int(),
  publicUrl: z.string().nullable().describe('The public page, once published'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdvisoryView = z.infer<typeof AdvisoryView>;

export const AdvisoryPage = z.object({ items: z.array(AdvisoryView), nextCursor: z.string().nullable() });

export const AdvisoryDraftParams = z.strictObject({ reportId: Id });

/**
 * An advisory's fields proposed from a report, for the team to complete and save as a draft: not
 * stored, and not valid as is (products still need their package URL and versions).
 */
export const AdvisoryDraft = z.object({
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  cvssV3Vector: z.string().nullable(),
  cvssV4Vector: z.string().nullable(),
  cweIds: z.array(z.string()),
  affected: z.array(
    z.object({
      name: z.string(),
      purl: z.string(),
      ranges: z.array(z.object({ introduced: z.string() })),
      versions: z.array(z.string()),
    }),
  ),
  credits: z
    .array(z.object({ name: z.string(), type: z.enum(creditTypes) }))
    .describe('The researcher, under the name they chose to be credited by (as on the hall of fame)'),
  reportId: Id,
  reportNumber: z.number().int(),
});
export type AdvisoryDraft = z.infer<typeof AdvisoryDraft>;
