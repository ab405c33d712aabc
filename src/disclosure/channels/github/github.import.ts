import type { AppContext } from '../../../core/context.ts';
import { databaseSafe } from '../../../core/db/index.ts';
import { systemActor } from '../../../core/http/actor.ts';
import { type Locale, translate } from '../../../core/i18n/index.ts';
import { getPublishedProgram } from '../../program/program.service.ts';
import type { ReportContent, Reporter } from '../../reports/reports.sealing.ts';
import { createReport } from '../../reports/reports.service.ts';
import { findReportBySource, type ReportRow, updateReport } from '../../reports/reports.store.ts';
import { RepositoryAdvisory } from './github.schemas.ts';

/**
 * One GitHub repository security advisory (a private vulnerability report) → one disclosure report,
 * whether it came by poll or by webhook. The GHSA id is the idempotency key: an advisory already
 * imported is left alone, even if it changed on GitHub since (the conversation continues on GitHub).
 */

export type ImportOutcome =
  | { outcome: 'imported'; report: ReportRow }
  | { outcome: 'already-imported'; report: ReportRow }
  | { outcome: 'invalid'; message: string };

/** GitHub's own name of the reporting account: `github.com/<login>`. */
const GITHUB_WEB = 'https://github.com';

/** The CVSS vector the reporter chose: 4.0 when given, else 3.x (the newer field, then the older one). */
export function cvssVectorOf(advisory: RepositoryAdvisory): string | null {
  const candidates = [
    advisory.cvss_severities?.cvss_v4?.vector_string,
    advisory.cvss_severities?.cvss_v3?.vector_string,
    advisory.cvss?.vector_string,
  ];
  return candidates.find((vector) => typeof vector === 'string' && vector.trim() !== '')?.trim() ?? null;
}

function cvssLines(locale: Locale, advisory: RepositoryAdvisory): string[] {
  const scored = [
    { version: '4.0', score: advisory.cvss_severities?.cvss_v4 },
    { version: '3.x', score: advisory.cvss_severities?.cvss_v3 ?? advisory.cvss },
  ];
  return scored.flatMap(({ version, score }) => {
    const vector = score?.vector_string?.trim();
    if (!vector) return [];
    const value = typeof score?.score === 'number' ? score.score : null;
    return value === null
      ? [translate(locale, 'vdp-github:impact.cvssUnscored', { version, vector })]
      : [translate(locale, 'vdp-github:impact.cvss', { version, vector, score: value.toFixed(1) })];
  });
}

function affectedLines(locale: Locale, advisory: RepositoryAdvisory): string[] {
  const vulnerabilities = advisory.vulnerabilities ?? [];
  if (vulnerabilities.length === 0) return [];
  const lines = vulnerabilities.map((vulnerability) => {
    const parts = [
      translate(locale, 'vdp-github:impact.affectedLine', {
        ecosystem: vulnerability.package?.ecosystem ?? '',
        name: vulnerability.package?.name || translate(locale, 'vdp-github:impact.unknownPackage'),
        range: vulnerability.vulnerable_version_range || translate(locale, 'vdp-github:impact.anyVersion'),
      }).trim(),
    ];
    if (vulnerability.patched_versions)
      parts.push(
        translate(locale, 'vdp-github:impact.patched', { versions: vulnerability.patched_versions }),
      );
    if (vulnerability.vulnerable_functions?.length)
      parts.push(
        translate(locale, 'vdp-github:impact.functions', {
          list: vulnerability.vulnerable_functions.join(', '),
        }),
      );
    return `- ${parts.join('; ')}`;
  });
  return [translate(locale, 'vdp-github:impact.affected'), ...lines];
}

/**
 * The structured part of GitHub's report form (severity, CVSS, CWE, affected products), as text in
 * the program's language: the researcher's own assessment, so it goes where the web form's impact goes.
 */
export function impactOf(locale: Locale, advisory: RepositoryAdvisory): string {
  const lines: string[] = [];
  const severity = advisory.severity?.toLowerCase();
  if (severity) {
    const key = `vdp-github:severity.${severity}`;
    const label = ['critical', 'high', 'medium', 'low'].includes(severity)
      ? translate(locale, key)
      : severity;
    lines.push(translate(locale, 'vdp-github:impact.severity', { severity: label }));
  }
  lines.push(...cvssLines(locale, advisory));
  if (advisory.cve_id) lines.push(translate(locale, 'vdp-github:impact.cve', { cve: advisory.cve_id }));
  const weaknesses = advisory.cwes?.length
    ? advisory.cwes.map((cwe) => `${cwe.cwe_id} (${cwe.name})`)
    : (advisory.cwe_ids ?? []);
  if (weaknesses.length > 0)
    lines.push(translate(locale, 'vdp-github:impact.weaknesses', { list: weaknesses.join(', ') }));
  const affected = affectedLines(locale, advisory);
  if (lines.length === 0 && affected.length === 0) return '';
  return [translate(locale, 'vdp-github:impact.heading'), '', ...lines, ...affected].join('\n');
}

export function reportContentOf(locale: Locale, advisory: RepositoryAdvisory): ReportContent {
  return {
    title: advisory.summary,
    description: advisory.description?.trim() ?? '',
    steps: '',
    impact: impactOf(locale, advisory),
  };
}

/** The reporting account (the advisory's author): its login as handle and its profile; never an e-mail. */
export function reporterOf(advisory: RepositoryAdvisory): Reporter | undefined {
  const login = advisory.author?.login;
  if (!login) return undefined;
  const profile = advisory.author?.html_url;
  const url = profile?.startsWith('https://') ? profile : `${GITHUB_WEB}/${encodeURIComponent(login)}`;
  return { handle: login, url };
}

function firstCwe(advisory: RepositoryAdvisory): string | null {
  const ids = advisory.cwe_ids?.length ? advisory.cwe_ids : (advisory.cwes ?? []).map((cwe) => cwe.cwe_id);
  return ids.find((id) => /^CWE-\d{1,5}$/.test(id)) ?? null;
}

function receivedAtOf(advisory: RepositoryAdvisory): Date | undefined {
  const created = advisory.created_at ? new Date(advisory.created_at) : undefined;
  return created && !Number.isNaN(created.getTime()) ? created : undefined;
}

/** True for a unique-index violation, whichever driver raised it (drizzle wraps it in `cause`). */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Imports one advisory of the configured repository `repository` (`owner/repo`). `raw` is GitHub's JSON;
 * a malformed one is reported as `invalid`, never thrown. Report, audit entry (`disclosure.report.received`
 * by the system actor `github`) and team notice are written in one transaction.
 */
export async function importGithubAdvisory(
  ctx: AppContext,
  repository: string,
  raw: unknown,
): Promise<ImportOutcome> {
  // GitHub's JSON is the reporter's text: NUL and unpaired surrogates are replaced before anything is stored.
  const parsed = RepositoryAdvisory.safeParse(databaseSafe(raw));
  if (!parsed.success) {
    const ghsa = (raw as { ghsa_id?: unknown } | null)?.ghsa_id;
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'advisory'}: ${issue.message}` : 'unreadable';
    const name = typeof ghsa === 'string' ? ghsa.slice(0, 40) : 'an advisory';
    return { outcome: 'invalid', message: `${repository}: ${name} was skipped (${where}).` };
  }
  const advisory = parsed.data;
  const db = ctx.database.db;
  try {
    return await db.transaction(async (tx): Promise<ImportOutcome> => {
      const existing = await findReportBySource(tx, 'github', advisory.ghsa_id);
      if (existing) return { outcome: 'already-imported', report: existing };
      const { source } = await getPublishedProgram(ctx, tx);
      const reporter = reporterOf(advisory);
      const created = await createReport(
        ctx,
        tx,
        systemActor('github'),
        {
          locale: source.defaultLocale,
          asset: `github.com/${repository}`,
          content: reportContentOf(source.defaultLocale, advisory),
          cvssVector: cvssVectorOf(advisory),
          ...(reporter ? { reporter, creditPreference: 'handle' as const } : {}),
        },
        {
          channel: 'github',
          sourceRef: advisory.ghsa_id,
          sourceUrl: advisory.html_url,
          receivedAt: receivedAtOf(advisory),
        },
      );
      const cweId = firstCwe(advisory);
      const report = cweId
        ? ((await updateReport(tx, created.report.id, { cweId })) ?? created.report)
        : created.report;
      return { outcome: 'imported', report };
    });
  } catch (error) {
    // The webhook and a poll raced on the same advisory: the other one stored it.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findReportBySource(db, 'github', advisory.ghsa_id);
    if (!existing) throw error;
    return { outcome: 'already-imported', report: existing };
  }
}
