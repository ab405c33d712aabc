import { z } from 'zod';
import { Id, LocaleField, Name } from '../../core/http/fields.ts';
import { SectionKind, SectionStatus } from '../publication/publication.schemas.ts';

/**
 * Text per locale, `{ en?, es?, fr? }`, each trimmed and bounded. An empty string means "not written in
 * this locale" and is dropped, so the site falls back to the default locale for it.
 */
export function localizedInput(maxLength: number) {
  const text = z.string().trim().max(maxLength);
  return z
    .strictObject({ en: text.optional(), es: text.optional(), fr: text.optional() })
    .transform((value) => Object.fromEntries(Object.entries(value).filter(([, v]) => v)) as LocalizedValue);
}
type LocalizedValue = { en?: string; es?: string; fr?: string };
const someLocale = (value: LocalizedValue) => Object.keys(value).length > 0;
const required = (maxLength: number) =>
  localizedInput(maxLength).refine(someLocale, { error: 'write it in at least one language' });

const IsoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const OptionalDate = IsoDate.nullable().optional();
const ShortText = z.string().trim().min(1).max(200);
export const Slug = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'lowercase letters, digits and single hyphens' });

const LocalizedView = z.object({
  en: z.string().optional(),
  es: z.string().optional(),
  fr: z.string().optional(),
});
const common = { id: Id, createdAt: z.string() };
const nonEmpty = (body: object) => Object.keys(body).length > 0;
const NON_EMPTY = { error: 'change at least one field' };
const datesInOrder = (from: string | null | undefined, to: string | null | undefined) =>
  !from || !to || from <= to;

// ---- certifications

const CertificationFields = z.strictObject({
  name: ShortText.describe('ISO 27001, SOC 2 Type II, GDPR, … or any other'),
  status: z.enum(['compliant', 'in_progress', 'planned']),
  auditor: ShortText.nullable().optional(),
  obtainedOn: OptionalDate,
  validUntil: OptionalDate,
  description: localizedInput(2000).optional(),
  documentId: Id.nullable()
    .optional()
    .describe('The certificate: a trust document the public badge links to'),
});
const certificationDates = {
  check: (b: { obtainedOn?: string | null; validUntil?: string | null }) =>
    datesInOrder(b.obtainedOn, b.validUntil),
  message: { error: 'validUntil must not be before obtainedOn', path: ['validUntil'] },
};
export const CreateCertificationBody = CertificationFields.refine(
  certificationDates.check,
  certificationDates.message,
);
export const UpdateCertificationBody = CertificationFields.partial()
  .refine(nonEmpty, NON_EMPTY)
  .refine(certificationDates.check, certificationDates.message);
export const CertificationView = z.object({
  ...common,
  name: z.string(),
  status: z.enum(['compliant', 'in_progress', 'planned']),
  auditor: z.string().nullable(),
  obtainedOn: z.string().nullable(),
  validUntil: z.string().nullable(),
  description: LocalizedView,
  documentId: z.string().nullable(),
  position: z.number().int(),
});

// ---- overview sections

const SectionFields = z.strictObject({
  kind: SectionKind,
  familyKey: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,60}$/, { error: 'lowercase letters, digits and underscores' })
    .nullable()
    .optional()
    .describe('For control families: a stable key such as encryption or mfa'),
  title: required(200),
  body: localizedInput(10_000).optional(),
  status: SectionStatus.nullable().optional(),
  lastVerifiedOn: OptionalDate,
});
export const CreateSectionBody = SectionFields;
export const UpdateSectionBody = SectionFields.partial().refine(nonEmpty, NON_EMPTY);
export const SectionView = z.object({
  ...common,
  kind: SectionKind,
  familyKey: z.string().nullable(),
  title: LocalizedView,
  body: LocalizedView,
  status: SectionStatus.nullable(),
  lastVerifiedOn: z.string().nullable(),
  position: z.number().int(),
});

// ---- FAQ

const FaqFields = z.strictObject({ question: required(500), answer: required(5_000) });
export const CreateFaqBody = FaqFields;
export const UpdateFaqBody = FaqFields.partial().refine(nonEmpty, NON_EMPTY);
export const FaqView = z.object({
  ...common,
  question: LocalizedView,
  answer: LocalizedView,
  position: z.number().int(),
});

// ---- subprocessors

const SubprocessorFields = z.strictObject({
  name: Name,
  purpose: required(1_000),
  location: z
    .union([
      // Before locations were translatable they were one string for every language; a client that still
      // sends one gets that meaning.
      ShortText.transform((value): LocalizedValue => ({ en: value, es: value, fr: value })),
      required(200),
    ])
    .describe('Where the data is processed, per locale: { en: "EU (Ireland)", fr: "UE (Irlande)" }'),
  website: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .max(500)
    .nullable()
    .optional(),
  effectiveOn: OptionalDate.describe('When the subprocessor starts (or started) processing data'),
  removedOn: OptionalDate,
});
const subprocessorDates = {
  check: (b: { effectiveOn?: string | null; removedOn?: string | null }) =>
    datesInOrder(b.effectiveOn, b.removedOn),
  message: { error: 'removedOn must not be before effectiveOn', path: ['removedOn'] },
};
export const CreateSubprocessorBody = SubprocessorFields.refine(
  subprocessorDates.check,
  subprocessorDates.message,
);
export const UpdateSubprocessorBody = SubprocessorFields.partial()
  .refine(nonEmpty, NON_EMPTY)
  .refine(subprocessorDates.check, subprocessorDates.message);
export const SubprocessorView = z.object({
  ...common,
  name: z.string(),
  purpose: LocalizedView,
  location: LocalizedView,
  website: z.string().nullable(),
  effectiveOn: z.string().nullable(),
  removedOn: z.string().nullable(),
  position: z.number().int(),
});

// ---- updates (dated security notes)

const UpdateNoteFields = z.strictObject({
  slug: Slug.optional().describe(
    'The address under /updates; made from the title when left out, fixed once published',
  ),
  title: required(200),
  body: required(20_000),
  publishedOn: IsoDate,
});
export const CreateUpdateNoteBody = UpdateNoteFields;
export const UpdateUpdateNoteBody = UpdateNoteFields.partial().refine(nonEmpty, NON_EMPTY);
export const UpdateNoteView = z.object({
  ...common,
  slug: z.string(),
  title: LocalizedView,
  body: LocalizedView,
  publishedOn: z.string(),
});

export const ReorderBody = z.strictObject({
  ids: z.array(Id).min(1).max(500).describe('Every item id, in the new order'),
});

// ---- profile

export const SecurityContact = z
  .string()
  .trim()
  .max(254)
  .refine(
    (value) => (value.includes('@') ? z.email().safeParse(value).success : /^https:\/\/[^\s]+$/.test(value)),
    {
      error: 'an e-mail address or an https:// URL',
    },
  );

export const UpdateProfileBody = z
  .strictObject({
    companyName: Name,
    summary: localizedInput(2_000),
    securityContact: SecurityContact.nullable(),
    defaultLocale: LocaleField,
    brandColor: z
      .string()
      .trim()
      .regex(/^#[0-9a-fA-F]{6}$/, { error: 'a colour as #rrggbb' })
      .transform((value) => value.toLowerCase())
      .nullable()
      .describe("The public site's accent colour, #rrggbb; null keeps the default"),
    logo: z
      .string()
      .max(400_000)
      .nullable()
      .describe('PNG, JPEG, WebP or SVG, at most 256 KiB: base64 or a data: URL; null removes it'),
  })
  .partial()
  .refine(nonEmpty, NON_EMPTY);
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

export const ProfileView = z.object({
  companyName: z.string(),
  summary: LocalizedView,
  logoDataUrl: z.string().nullable(),
  securityContact: z.string().nullable(),
  defaultLocale: LocaleField,
  brandColor: z.string().nullable(),
  updatedAt: z.string(),
});
