import { and, count, eq, gte, min } from 'drizzle-orm';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import { type Locale, translate } from '../../core/i18n/index.ts';
import type { LocalizedText, ProgramSource } from '../program/program.schema.ts';
import { getPublishedProgram } from '../program/program.service.ts';
import { reporterEmailHash } from '../reports/reports.sealing.ts';
import {
  type CreatedReport,
  createReport,
  type IncomingAttachment,
  UnknownPolicyVersionError,
} from '../reports/reports.service.ts';
import { disclosureReports } from '../tables.ts';
import { ACCEPTED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './intake.attachments.ts';
import { COMMON_CATEGORIES, CREDIT_PREFERENCES, type ReportBody } from './intake.schemas.ts';

/** Reports one address may send in an hour, whatever the client address: floods from one inbox stop here. */
export const MAX_REPORTS_PER_EMAIL_PER_HOUR = 5;
const HOUR_MS = 3_600_000;

/** Admin text in `locale`, else the program's default locale, else any. */
export function localized(text: LocalizedText | undefined, locale: Locale, fallback: Locale): string | null {
  const value = text?.[locale]?.trim() || text?.[fallback]?.trim() || text?.en || text?.es || text?.fr;
  return value?.trim() || null;
}

export type IntakeCategory = { key: string; label: string; outOfScope: boolean; vrtId: string | null };

/** The common categories, then the program's out-of-scope ones, labelled in `locale`. */
export function intakeCategories(source: ProgramSource, locale: Locale): IntakeCategory[] {
  const common = COMMON_CATEGORIES.map((key) => ({
    key,
    label: translate(locale, `vdp-intake:categories.${key}`),
    outOfScope: false,
    vrtId: null,
  }));
  const excluded = source.outOfScopeCategories.map((category) => ({
    key: category.key,
    label: localized(category.label, locale, source.defaultLocale) ?? category.key,
    outOfScope: true,
    vrtId: category.vrtId,
  }));
  return [...common, ...excluded];
}

/** What an API client needs to fill a report in: assets, categories, the policy version, the limits. */
export async function intakeOptions(ctx: AppContext, locale: Locale) {
  const program = await getPublishedProgram(ctx);
  const { source } = program;
  return {
    policyVersion: program.version,
    locale,
    companyName: source.companyName,
    responseBusinessDays: source.responseBusinessDays,
    timeZone: source.timeZone,
    assets: source.assets.map((asset) => ({
      identifier: asset.identifier,
      kind: asset.kind,
      inScope: asset.inScope,
      description: localized(asset.description, locale, source.defaultLocale),
    })),
    categories: intakeCategories(source, locale),
    creditPreferences: [...CREDIT_PREFERENCES],
    attachments: {
      maxFiles: MAX_ATTACHMENTS,
      maxFileBytes: MAX_ATTACHMENT_BYTES,
      contentTypes: ACCEPTED_ATTACHMENT_TYPES,
    },
  };
}

/** Reports from one address in the last hour, and when the oldest of them leaves the window. */
async function recentReportsFrom(q: Queryable, emailHash: string, now: Date) {
  const [row] = await q
    .select({ total: count(), oldest: min(disclosureReports.receivedAt) })
    .from(disclosureReports)
    .where(
      and(
        eq(disclosureReports.reporterEmailHash, emailHash),
        gte(disclosureReports.receivedAt, new Date(now.getTime() - HOUR_MS)),
      ),
    );
  return { total: row?.total ?? 0, oldest: row?.oldest ?? null };
}

export type Submission = ReportBody & { locale: Locale; attachments?: IncomingAttachment[] };

/**
 * Records a report sent by the form or the API, in one transaction that is committed before this
 * returns: the caller answers only once the report is stored. 429 past the per-address limit, 422 for a
 * policy version that does not exist.
 */
export async function submitReport(
  ctx: AppContext,
  actor: Actor,
  input: Submission,
  channel: 'web' | 'api',
): Promise<CreatedReport> {
  const now = new Date();
  const email = input.reporter?.email;
  try {
    return await ctx.database.db.transaction(async (tx) => {
      if (email) {
        const recent = await recentReportsFrom(tx, reporterEmailHash(ctx.keyring, email), now);
        if (recent.total >= MAX_REPORTS_PER_EMAIL_PER_HOUR) {
          const leaves = (recent.oldest?.getTime() ?? now.getTime()) + HOUR_MS - now.getTime();
          const error = problems.rateLimited(Math.max(1, Math.ceil(leaves / 1000)));
          error.extra.retryAfterSeconds = Math.max(1, Math.ceil(leaves / 1000));
          throw error;
        }
      }
      return createReport(
        ctx,
        tx,
        actor,
        {
          locale: input.locale,
          asset: input.asset || null,
          category: input.category || null,
          content: {
            title: input.title,
            description: input.description,
            steps: input.steps,
            impact: input.impact,
          },
          cvssVector: input.cvssVector || null,
          reporter: input.reporter,
          creditPreference: input.creditPreference,
          acceptedPolicyVersion: input.policyVersion,
          attachments: input.attachments,
        },
        { channel },
      );
    });
  } catch (error) {
    if (error instanceof UnknownPolicyVersionError) {
      throw problems.validation([
        {
          in: 'body',
          pointer: '/policyVersion',
          detail: `policy version ${error.version} does not exist; read the policy again and accept its current version`,
        },
      ]);
    }
    throw error;
  }
}
