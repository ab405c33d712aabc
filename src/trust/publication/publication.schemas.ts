import { z } from 'zod';

/** Text per locale as the admin wrote it; any locale may be missing. */
export const Localized = z.object({
  en: z.string().optional(),
  es: z.string().optional(),
  fr: z.string().optional(),
});

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const SiteLocale = z.enum(['en', 'es', 'fr']);

export const SiteProfile = z.object({
  companyName: z.string(),
  summary: Localized,
  /** `data:image/…;base64,…`, ready for an <img src>. */
  logoDataUrl: z.string().nullable(),
  securityContact: z.string().nullable(),
  defaultLocale: SiteLocale,
  /** `#rrggbb`; absent in snapshots from before brand colours. */
  brandColor: z.string().nullable().optional(),
});

export const SiteCertification = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['compliant', 'in_progress', 'planned']),
  auditor: z.string().nullable(),
  obtainedOn: IsoDate.nullable(),
  validUntil: IsoDate.nullable(),
  description: Localized,
  /** The certificate document the badge links to; absent in snapshots from before this field. */
  documentId: z.string().nullable().optional(),
});

export const SectionKind = z.enum(['narrative', 'how_compliant', 'out_of_compliance', 'control_family']);
export const SectionStatus = z.enum(['implemented', 'in_progress', 'planned']);

export const SiteSection = z.object({
  id: z.string(),
  kind: SectionKind,
  familyKey: z.string().nullable(),
  title: Localized,
  body: Localized,
  status: SectionStatus.nullable(),
  lastVerifiedOn: IsoDate.nullable(),
});

export const SiteFaq = z.object({ id: z.string(), question: Localized, answer: Localized });

export const SiteSubprocessor = z.object({
  id: z.string(),
  name: z.string(),
  purpose: Localized,
  /** A plain string in snapshots from before locations were translatable: it was shown in every locale. */
  location: z.preprocess(
    (value) => (typeof value === 'string' ? { en: value, es: value, fr: value } : value),
    Localized,
  ),
  website: z.string().nullable(),
  effectiveOn: IsoDate.nullable(),
  removedOn: IsoDate.nullable(),
});

export const SiteUpdate = z.object({
  id: z.string(),
  slug: z.string(),
  title: Localized,
  body: Localized,
  publishedOn: IsoDate,
});

export const SiteDocument = z.object({
  id: z.string(),
  slug: z.string(),
  title: Localized,
  description: Localized,
  accessLevel: z.enum(['public', 'request', 'nda']),
  validFrom: IsoDate.nullable(),
  validUntil: IsoDate.nullable(),
  position: z.number(),
  fileLocales: z.array(SiteLocale),
  hasDefaultFile: z.boolean(),
  /**
   * The exact file versions this publication offers (locale null = the file for every locale). A file
   * uploaded later is served only once it is published. Absent in snapshots from before this field: those
   * offer the current file of each listed locale.
   */
  files: z.array(z.object({ id: z.string(), locale: SiteLocale.nullable() })).optional(),
});

/** Everything a visitor can see, frozen at publication. Lists are in display order. */
export const SiteSnapshot = z.object({
  profile: SiteProfile,
  certifications: z.array(SiteCertification),
  sections: z.array(SiteSection),
  faqs: z.array(SiteFaq),
  subprocessors: z.array(SiteSubprocessor),
  updates: z.array(SiteUpdate),
  documents: z.array(SiteDocument),
});

export type SiteProfile = z.infer<typeof SiteProfile>;
export type SiteCertification = z.infer<typeof SiteCertification>;
export type SiteSection = z.infer<typeof SiteSection>;
export type SiteFaq = z.infer<typeof SiteFaq>;
export type SiteSubprocessor = z.infer<typeof SiteSubprocessor>;
export type SiteUpdate = z.infer<typeof SiteUpdate>;
export type SiteDocument = z.infer<typeof SiteDocument>;
export type SiteSnapshot = z.infer<typeof SiteSnapshot>;

/** A publication as the site serves it. */
export type PublishedSite = SiteSnapshot & { version: number; publishedAt: string };
