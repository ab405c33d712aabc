import { z } from 'zod';

/**
 * The disclosure program's one structured source. The policy page, SECURITY.md and security.txt are
 * all rendered from it; the admin edits a draft and publishes numbered versions. Texts are per locale
 * (`{ en, es, fr }`); a missing locale falls back to the program's default locale.
 */

const Localized = z
  .strictObject({
    en: z.string().max(20_000).optional(),
    es: z.string().max(20_000).optional(),
    fr: z.string().max(20_000).optional(),
  })
  .describe('Text per locale; a missing locale falls back to the default locale');
export type LocalizedText = z.infer<typeof Localized>;

export const AssetKind = z.enum(['domain', 'repository', 'application', 'other']);

export const ProgramAsset = z.strictObject({
  /** Stable key reports refer to: `app.example.com`, `github.com/acme/api`. */
  identifier: z.string().trim().min(1).max(300),
  kind: AssetKind,
  inScope: z.boolean(),
  description: Localized.default({}),
});
export type ProgramAsset = z.infer<typeof ProgramAsset>;

export const OutOfScopeCategory = z.strictObject({
  /** Stable key (`clickjacking-non-sensitive`) the report form submits and reports store. */
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'lower-case letters, digits and dashes' }),
  /** Bugcrowd VRT id (`server_security_misconfiguration.clickjacking.non_sensitive_action`), when one fits. */
  vrtId: z.string().trim().max(200).nullable().default(null),
  label: Localized,
});
export type OutOfScopeCategory = z.infer<typeof OutOfScopeCategory>;

export const ContactChannel = z.strictObject({
  kind: z.enum(['email', 'form', 'github', 'other']),
  /** mailto:security@example.com, https://…; the form channel's value is filled in from PUBLIC_URL. */
  value: z.string().trim().min(1).max(500),
  label: Localized.default({}),
});

export const ProgramSource = z.strictObject({
  companyName: z.string().trim().min(1).max(200),
  defaultLocale: z.enum(['en', 'es', 'fr']).default('en'),
  introduction: Localized,
  assets: z.array(ProgramAsset).max(500),
  outOfScopeCategories: z.array(OutOfScopeCategory).max(200),
  /** Each rule one line per locale: no automated scanners without permission, … */
  rulesOfEngagement: z.array(Localized).max(50),
  /** How to write a useful report (what to include). */
  reportingGuidance: Localized.default({}),
  promises: z.array(Localized).max(50),
  safeHarbor: Localized,
  /** "We reserve the right to classify any report as out of scope." Shown when true. */
  reserveScopeDecision: z.boolean().default(true),
  contacts: z.array(ContactChannel).max(20),
  /** Business days for the first response (assessment + expected resolution date). */
  responseBusinessDays: z.number().int().min(1).max(30).default(3),
  /** Fix targets in calendar days by severity. */
  fixTargetDays: z
    .strictObject({
      critical: z.number().int().min(1).max(365).default(7),
      high: z.number().int().min(1).max(365).default(30),
      medium: z.number().int().min(1).max(365).default(60),
      low: z.number().int().min(1).max(365).default(90),
    })
    .default({ critical: 7, high: 30, medium: 60, low: 90 }),
  disclosureDeadlineDays: z.number().int().min(1).max(365).default(90),
  /** IANA time zone the SLA clock runs in. */
  timeZone: z
    .string()
    .refine(
      (zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      },
      { error: 'an IANA time zone such as Europe/Paris' },
    )
    .default('UTC'),
  /** date-holidays country (and optional state/region) whose public holidays the SLA skips. */
  holidays: z
    .strictObject({
      country: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .nullable()
        .default(null),
      region: z.string().max(10).nullable().default(null),
    })
    .default({ country: null, region: null }),
  preferredLanguages: z
    .array(z.enum(['en', 'es', 'fr']))
    .min(1)
    .default(['en', 'es', 'fr']),
  securityTxt: z
    .strictObject({
      /** Days ahead the Expires field points to; renewed on every render. At most a year (RFC 9116). */
      expiresDays: z.number().int().min(1).max(365).default(180),
      /** Off: a fixed date the admin renews by hand, warned 30 days before. */
      autoRenew: z.boolean().default(true),
      fixedExpires: z.iso.datetime({ offset: true }).nullable().default(null),
      hiringUrl: z.url().nullable().default(null),
    })
    .default({ expiresDays: 180, autoRenew: true, fixedExpires: null, hiringUrl: null }),
});
export type ProgramSource = z.infer<typeof ProgramSource>;

/** What the rest of the domain reads: the published version the public sees now. */
export type PublishedProgram = { version: number; publishedAt: Date; source: ProgramSource };
