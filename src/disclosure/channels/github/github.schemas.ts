import { z } from 'zod';

/**
 * The parts of GitHub's repository security advisory object (REST API 2022-11-28, also the
 * `repository_advisory` of the webhook event) that an import reads. Unknown fields are dropped; fields
 * GitHub documents as nullable are nullish here, so an older or newer GitHub still parses.
 */

const GithubUser = z.object({
  login: z.string().min(1).max(100),
  html_url: z.string().max(500).nullish(),
  type: z.string().max(50).nullish(),
});

const CvssScore = z.object({
  vector_string: z.string().max(300).nullish(),
  score: z.number().nullish(),
});

export const GHSA_ID = /^GHSA(-[a-z0-9]{4}){3}$/;

export const RepositoryAdvisory = z.object({
  ghsa_id: z.string().regex(GHSA_ID),
  cve_id: z.string().max(50).nullish(),
  html_url: z.url({ protocol: /^https?$/ }).max(500),
  summary: z.string().trim().min(1).max(1024),
  description: z.string().max(65_536).nullish(),
  severity: z.string().max(20).nullish(),
  state: z.string().max(20),
  created_at: z.string().max(40).nullish(),
  author: GithubUser.nullish(),
  submission: z.object({ accepted: z.boolean() }).nullish(),
  vulnerabilities: z
    .array(
      z.object({
        package: z.object({ ecosystem: z.string().max(50), name: z.string().max(300).nullish() }).nullish(),
        vulnerable_version_range: z.string().max(300).nullish(),
        patched_versions: z.string().max(300).nullish(),
        vulnerable_functions: z.array(z.string().max(300)).max(100).nullish(),
      }),
    )
    .max(100)
    .nullish(),
  cvss: CvssScore.nullish(),
  cvss_severities: z.object({ cvss_v3: CvssScore.nullish(), cvss_v4: CvssScore.nullish() }).nullish(),
  cwe_ids: z.array(z.string().max(20)).max(50).nullish(),
  cwes: z
    .array(z.object({ cwe_id: z.string().max(20), name: z.string().max(300) }))
    .max(50)
    .nullish(),
});
export type RepositoryAdvisory = z.infer<typeof RepositoryAdvisory>;

/** The `repository_advisory` webhook event: `reported` for a new private report, `published` later. */
export const RepositoryAdvisoryEvent = z.object({
  action: z.string().max(50),
  repository: z.object({ full_name: z.string().max(200) }),
  repository_advisory: z.unknown(),
});

export const WebhookAnswer = z.object({
  status: z.enum(['pong', 'imported', 'already-imported', 'ignored']),
  /** Why an event was ignored: another event or action, or a repository that is not configured. */
  reason: z.string().optional(),
  reportNumber: z.number().int().optional(),
});
export type WebhookAnswer = z.infer<typeof WebhookAnswer>;

const RepositoryStatus = z.object({
  repository: z.string(),
  /** When this repository was last asked, successfully or not. */
  checkedAt: z.string().nullable(),
  /** Advisories in state triage at that time; null when the listing could not be read whole. */
  waitingReports: z.number().int().nullable(),
  /** New reports that check created (the others were imported before). */
  imported: z.number().int(),
  /** What went wrong in that check, or null. */
  error: z.string().nullable(),
});

export const GithubStatusView = z.object({
  polling: z.boolean().describe('GITHUB_TOKEN and DISCLOSURE_GITHUB_REPOSITORIES are set'),
  webhook: z.boolean().describe('GITHUB_WEBHOOK_SECRET and DISCLOSURE_GITHUB_REPOSITORIES are set'),
  apiUrl: z.string(),
  pollMinutes: z.number().int(),
  repositories: z.array(RepositoryStatus),
  lastPollAt: z.string().nullable(),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  rateLimitedUntil: z.string().nullable(),
  lastWebhookAt: z.string().nullable(),
});
export type GithubStatusView = z.infer<typeof GithubStatusView>;
