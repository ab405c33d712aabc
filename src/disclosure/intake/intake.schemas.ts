import { z } from 'zod';
import { Email, Id, LocaleField, Name, Timestamp } from '../../core/http/fields.ts';
import { scoreCvss } from '../advisories/advisories.cvss.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './intake.attachments.ts';

/**
 * What a researcher sends with a report, through the API (JSON, or multipart with files) and the web
 * form (which maps its fields onto the same shape, so both are held to the same rules).
 */

/** Kinds of vulnerability the form offers besides the program's out-of-scope list (VRT-like keys). */
export const COMMON_CATEGORIES = [
  'cross-site-scripting',
  'sql-injection',
  'remote-code-execution',
  'server-side-request-forgery',
  'broken-access-control',
  'broken-authentication',
  'cross-site-request-forgery',
  'sensitive-data-exposure',
  'security-misconfiguration',
  'business-logic',
  'other',
] as const;

export const CREDIT_PREFERENCES = ['name', 'handle', 'anonymous'] as const;
export type CreditPreference = (typeof CREDIT_PREFERENCES)[number];

export const CategoryKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,199}$/, {
    error: 'a category key: lower-case letters, digits, dashes, dots or underscores',
  })
  .describe('A key of the program’s out-of-scope categories, one of the common categories, or a VRT id');

/** A reporter's CVSS vector: 3.1 or 4.0, checked and scored with ae-cvss-calculator. */
export const ReporterCvssVector = z
  .string()
  .trim()
  .max(300)
  .superRefine((value, check) => {
    const version = value.startsWith('CVSS:4.0/') ? '4.0' : value.startsWith('CVSS:3.1/') ? '3.1' : undefined;
    if (!version) {
      check.addIssue({ code: 'custom', message: 'a CVSS vector must start with "CVSS:3.1/" or "CVSS:4.0/"' });
      return;
    }
    const scored = scoreCvss(version, value);
    if (typeof scored === 'string') {
      check.addIssue({ code: 'custom', message: `not a valid CVSS ${version} vector: ${scored}` });
    }
  })
  .describe('CVSS:3.1/… or CVSS:4.0/… base vector, as the reporter assesses it');

export const Handle = z.string().trim().min(1).max(100);
export const WebLink = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL' })
  .max(500)
  .describe('A page about the researcher, shown with the credit');

export const ReporterFields = z.strictObject({
  name: Name.optional(),
  email: Email.optional().describe('Where the receipt and later messages go; never shown publicly'),
  handle: Handle.optional(),
  url: WebLink.optional(),
});

export const ReportBody = z.strictObject({
  locale: LocaleField.optional().describe('Language of the mails and pages; default from Accept-Language'),
  asset: z
    .string()
    .trim()
    .max(300)
    .optional()
    .describe('Identifier of the affected asset (see intake options)'),
  category: CategoryKey.optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000).describe('Markdown'),
  steps: z.string().trim().max(20_000).default('').describe('Steps to reproduce (Markdown)'),
  impact: z.string().trim().max(5_000).default(''),
  cvssVector: ReporterCvssVector.optional(),
  reporter: ReporterFields.optional().describe('Leave out to report anonymously'),
  creditPreference: z
    .enum(CREDIT_PREFERENCES)
    .optional()
    .describe('How to be credited; default name when an identity is given, else anonymous'),
  acceptPolicy: z.literal(true, { error: 'accept the disclosure policy: true' }),
  policyVersion: z.number().int().positive().describe('The program version the reporter read and accepts'),
});
export type ReportBody = z.infer<typeof ReportBody>;

export const CreatedReportView = z.object({
  id: Id,
  number: z.number().int(),
  responseDueBy: Timestamp.describe('When the first response (assessment and planned date) is due'),
  followUrl: z.url().describe('The reporter’s private page of this report: keep it secret'),
  outOfScope: z.boolean(),
});

export const IntakeOptionsQuery = z.strictObject({ locale: LocaleField.optional() });

export const IntakeOptionsView = z.object({
  policyVersion: z.number().int(),
  locale: LocaleField,
  companyName: z.string(),
  responseBusinessDays: z.number().int(),
  timeZone: z.string(),
  assets: z.array(
    z.object({
      identifier: z.string(),
      kind: z.string(),
      inScope: z.boolean(),
      description: z.string().nullable(),
    }),
  ),
  categories: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      outOfScope: z.boolean(),
      vrtId: z.string().nullable(),
    }),
  ),
  creditPreferences: z.array(z.enum(CREDIT_PREFERENCES)),
  attachments: z.object({
    maxFiles: z.number().int().describe(`${MAX_ATTACHMENTS} today`),
    maxFileBytes: z.number().int().describe(`${MAX_ATTACHMENT_BYTES} today`),
    contentTypes: z.array(z.string()),
  }),
});
