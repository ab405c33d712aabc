import { asc, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../../core/db/index.ts';
import type { Locale } from '../../core/i18n/index.ts';
import type {
  SiteCertification,
  SiteFaq,
  SiteProfile,
  SiteSection,
  SiteSubprocessor,
  SiteUpdate,
} from '../publication/publication.schemas.ts';
import {
  trustCertifications,
  trustFaqs,
  trustProfile,
  trustSections,
  trustSubprocessors,
  trustUpdates,
} from '../tables.ts';

/** The profile is one row; this is its id. */
export const PROFILE_ID = 1;

export type ProfileRow = typeof trustProfile.$inferSelect;

export async function findProfile(q: Queryable): Promise<ProfileRow | undefined> {
  const [row] = await q.select().from(trustProfile).where(eq(trustProfile.id, PROFILE_ID));
  return row;
}

/** Creates the profile row unless it exists; true when this call created it. Safe against concurrent calls. */
export async function insertProfileIfMissing(
  q: Queryable,
  values: { companyName: string; defaultLocale: Locale },
): Promise<boolean> {
  const inserted = await q
    .insert(trustProfile)
    .values({ id: PROFILE_ID, ...values })
    .onConflictDoNothing()
    .returning({ id: trustProfile.id });
  return inserted.length > 0;
}

export function logoDataUrlOf(row: Pick<ProfileRow, 'logo' | 'logoType'>): string | null {
  return row.logo && row.logoType ? `data:${row.logoType};base64,${row.logo}` : null;
}

export function toSiteProfile(row: ProfileRow): SiteProfile {
  return {
    companyName: row.companyName,
    summary: row.summary,
    logoDataUrl: logoDataUrlOf(row),
    securityContact: row.securityContact,
    defaultLocale: row.defaultLocale as Locale,
    brandColor: row.brandColor,
  };
}

/** The draft content in display order (position, then creation), documents aside. */
export async function readDraftContent(q: Queryable): Promise<{
  certifications: SiteCertification[];
  sections: SiteSection[];
  faqs: SiteFaq[];
  subprocessors: SiteSubprocessor[];
  updates: SiteUpdate[];
}> {
  const certifications = await q
    .select()
    .from(trustCertifications)
    .orderBy(asc(trustCertifications.position), asc(trustCertifications.createdAt));
  const sections = await q
    .select()
    .from(trustSections)
    .orderBy(asc(trustSections.position), asc(trustSections.createdAt));
  const faqs = await q.select().from(trustFaqs).orderBy(asc(trustFaqs.position), asc(trustFaqs.createdAt));
  const subprocessors = await q
    .select()
    .from(trustSubprocessors)
    .orderBy(asc(trustSubprocessors.position), asc(trustSubprocessors.name));
  const updates = await q
    .select()
    .from(trustUpdates)
    .orderBy(desc(trustUpdates.publishedOn), desc(trustUpdates.createdAt));
  return {
    certifications: certifications.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status as SiteCertification['status'],
      auditor: c.auditor,
      obtainedOn: c.obtainedOn,
      validUntil: c.validUntil,
      description: c.description,
      documentId: c.documentId,
    })),
    sections: sections.map((s) => ({
      id: s.id,
      kind: s.kind as SiteSection['kind'],
      familyKey: s.familyKey,
      title: s.title,
      body: s.body,
      status: s.status as SiteSection['status'],
      lastVerifiedOn: s.lastVerifiedOn,
    })),
    faqs: faqs.map((f) => ({ id: f.id, question: f.question, answer: f.answer })),
    subprocessors: subprocessors.map((p) => ({
      id: p.id,
      name: p.name,
      purpose: p.purpose,
      location: p.location,
      website: p.website,
      effectiveOn: p.effectiveOn,
      removedOn: p.removedOn,
    })),
    updates: updates.map((u) => ({
      id: u.id,
      slug: u.slug,
      title: u.title,
      body: u.body,
      publishedOn: u.publishedOn,
    })),
  };
}
