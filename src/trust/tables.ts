import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/** Text the admin writes once per locale: `{ en: '…', es: '…' }`; a missing locale falls back to the default. */
export type LocalizedText = Partial<Record<'en' | 'es' | 'fr', string>>;

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });
const localized = (name: string) => jsonb(name).$type<LocalizedText>().notNull().default({});
const position = () => integer('position').notNull().default(0);

/** The trust center's own settings and texts (one row, id 1). Edited as a draft; visitors see publications. */
export const trustProfile = pgTable('trust_profile', {
  id: integer('id').primaryKey(),
  companyName: text('company_name').notNull(),
  summary: localized('summary'),
  /** Small image shown in the header, stored inline (PNG, JPEG, SVG or WebP, at most 256 KiB). */
  logo: text('logo_base64'),
  logoType: text('logo_type'),
  /** `#rrggbb`: the public site's accent (header, buttons); null keeps the default palette. */
  brandColor: text('brand_color'),
  securityContact: text('security_contact'),
  defaultLocale: text('default_locale').notNull().default('en'),
  /** Requests from these e-mail domains are approved at once, from `denyDomains` denied at once. */
  allowDomains: jsonb('allow_domains').$type<string[]>().notNull().default([]),
  denyDomains: jsonb('deny_domains').$type<string[]>().notNull().default([]),
  grantDays: integer('grant_days').notNull().default(30),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export const trustCertifications = pgTable(
  'trust_certifications',
  {
    id: id(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    auditor: text('auditor'),
    obtainedOn: date('obtained_on'),
    validUntil: date('valid_until'),
    description: localized('description'),
    /** The certificate itself: the public badge links to this document (its access level applies). */
    documentId: uuid('document_id').references((): AnyPgColumn => trustDocuments.id, {
      onDelete: 'set null',
    }),
    position: position(),
    createdAt: createdAt(),
  },
  (t) => [
    check('trust_certifications_status_check', sql`${t.status} in ('compliant','in_progress','planned')`),
  ],
);

/**
 * Ordered sections of the security overview: the narrative, "how we stay compliant", "if something
 * falls out of compliance", and one per control family (`familyKey`: encryption, mfa, …).
 */
export const trustSections = pgTable(
  'trust_sections',
  {
    id: id(),
    kind: text('kind').notNull(),
    familyKey: text('family_key'),
    title: localized('title'),
    body: localized('body'),
    status: text('status'),
    lastVerifiedOn: date('last_verified_on'),
    position: position(),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'trust_sections_kind_check',
      sql`${t.kind} in ('narrative','how_compliant','out_of_compliance','control_family')`,
    ),
    check(
      'trust_sections_status_check',
      sql`${t.status} is null or ${t.status} in ('implemented','in_progress','planned')`,
    ),
  ],
);

export const trustFaqs = pgTable('trust_faqs', {
  id: id(),
  question: localized('question'),
  answer: localized('answer'),
  position: position(),
  createdAt: createdAt(),
});

export const trustSubprocessors = pgTable('trust_subprocessors', {
  id: id(),
  name: text('name').notNull(),
  purpose: localized('purpose'),
  /** Where the data is processed, per locale ("EU (Ireland)", "UE (Irlande)"). */
  location: localized('location'),
  website: text('website'),
  /** When the change takes effect: announced to subscribers before this date. */
  effectiveOn: date('effective_on'),
  removedOn: date('removed_on'),
  position: position(),
  createdAt: createdAt(),
});

/** Dated security notes, listed at /{locale}/updates and in the Atom feed. */
export const trustUpdates = pgTable('trust_updates', {
  id: id(),
  slug: text('slug').notNull().unique(),
  title: localized('title'),
  body: localized('body'),
  publishedOn: date('published_on').notNull(),
  createdAt: createdAt(),
});

export const trustDocuments = pgTable(
  'trust_documents',
  {
    id: id(),
    slug: text('slug').notNull().unique(),
    title: localized('title'),
    description: localized('description'),
    accessLevel: text('access_level').notNull(),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    position: position(),
    archivedAt: at('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [check('trust_documents_access_check', sql`${t.accessLevel} in ('public','request','nda')`)],
);

/**
 * A file of a document: per locale (null = every locale without its own), versioned. The bytes live
 * encrypted in the data folder under `storageKey`; the path is never shown to anyone.
 */
export const trustDocumentFiles = pgTable(
  'trust_document_files',
  {
    id: id(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => trustDocuments.id, { onDelete: 'cascade' }),
    locale: text('locale'),
    version: integer('version').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
  },
  (t) => [index('trust_document_files_doc_idx').on(t.documentId, t.locale, t.version)],
);

/** What visitors see: a snapshot of the draft content, taken when an admin publishes. */
export const trustPublications = pgTable('trust_publications', {
  version: serial('version').primaryKey(),
  snapshot: jsonb('snapshot').notNull(),
  publishedBy: uuid('published_by'),
  publishedAt: at('published_at').notNull().defaultNow(),
});

/** Someone outside the company who asked for documents; no password, they come back by magic link. */
export const trustVisitors = pgTable('trust_visitors', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  company: text('company').notNull(),
  locale: text('locale').notNull().default('en'),
  emailVerifiedAt: at('email_verified_at'),
  /** Set when the visitor's personal data was erased on request. */
  erasedAt: at('erased_at'),
  createdAt: createdAt(),
});

export const trustAccessRequests = pgTable(
  'trust_access_requests',
  {
    id: id(),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => trustVisitors.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    /** Documents asked for; empty with `level` set means a whole access level. */
    documentIds: jsonb('document_ids').$type<string[]>().notNull().default([]),
    level: text('level'),
    status: text('status').notNull(),
    decidedAt: at('decided_at'),
    decidedBy: uuid('decided_by'),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'trust_access_requests_status_check',
      sql`${t.status} in ('unconfirmed','pending','approved','denied')`,
    ),
    index('trust_access_requests_status_idx').on(t.status, t.createdAt),
  ],
);

export const trustGrants = pgTable(
  'trust_grants',
  {
    id: id(),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => trustVisitors.id, { onDelete: 'cascade' }),
    requestId: uuid('request_id').references(() => trustAccessRequests.id, { onDelete: 'set null' }),
    documentIds: jsonb('document_ids').$type<string[]>().notNull().default([]),
    level: text('level'),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('trust_grants_visitor_idx').on(t.visitorId)],
);

/** One-time links by e-mail (confirm a request, sign back in), and the visitor's access tokens. */
export const trustVisitorTokens = pgTable(
  'trust_visitor_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => trustVisitors.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    requestId: uuid('request_id'),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('trust_visitor_tokens_purpose_check', sql`${t.purpose} in ('confirm','magic-link','access')`),
  ],
);

/** NDA texts per locale; a version is never edited once anyone accepted it (edit = new version). */
export const trustNdaTemplates = pgTable(
  'trust_nda_templates',
  {
    id: id(),
    locale: text('locale').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    sha256: text('sha256').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [unique('trust_nda_templates_locale_version').on(t.locale, t.version)],
);

export const trustNdaAcceptances = pgTable('trust_nda_acceptances', {
  id: id(),
  visitorId: uuid('visitor_id')
    .notNull()
    .references(() => trustVisitors.id, { onDelete: 'cascade' }),
  templateId: uuid('template_id')
    .notNull()
    .references(() => trustNdaTemplates.id),
  textSha256: text('text_sha256').notNull(),
  fullName: text('full_name').notNull(),
  email: text('email').notNull(),
  company: text('company').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  acceptedAt: at('accepted_at').notNull().defaultNow(),
});

/** Companies that signed an NDA on paper: their visitors skip the click-through. */
export const trustNdaExemptions = pgTable('trust_nda_exemptions', {
  id: id(),
  domain: text('domain').notNull().unique(),
  company: text('company').notNull(),
  note: text('note'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

/** Analytics: every request, decision, view and download, per visitor, company and document. */
export const trustEvents = pgTable(
  'trust_events',
  {
    id: id(),
    type: text('type').notNull(),
    visitorId: uuid('visitor_id'),
    company: text('company'),
    documentId: uuid('document_id'),
    /** For downloads: the id printed in the watermark. */
    downloadId: uuid('download_id'),
    locale: text('locale'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    occurredAt: at('occurred_at').notNull().defaultNow(),
  },
  (t) => [index('trust_events_time_idx').on(t.occurredAt), index('trust_events_doc_idx').on(t.documentId)],
);

/** Double opt-in subscriptions to subprocessor changes and security updates, per language. */
export const trustSubscribers = pgTable(
  'trust_subscribers',
  {
    id: id(),
    email: text('email').notNull(),
    locale: text('locale').notNull(),
    topics: jsonb('topics').$type<string[]>().notNull().default([]),
    confirmTokenHash: text('confirm_token_hash'),
    unsubscribeTokenHash: text('unsubscribe_token_hash').notNull().unique(),
    confirmedAt: at('confirmed_at'),
    createdAt: createdAt(),
  },
  (t) => [unique('trust_subscribers_email_locale').on(t.email, t.locale)],
);
