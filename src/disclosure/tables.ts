import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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

/**
 * Vulnerability disclosure program. Confidential columns end in `_sealed`: AES-256-GCM text from
 * `core/crypto` `encrypt`, with the row's id (and the column) as associated data, so a sealed value
 * cannot be moved to another row. Only owner, admin and security read them, and every read is audited.
 */

const id = () => uuid('id').primaryKey().defaultRandom();
const at = (name: string) => timestamp(name, { withTimezone: true });
const createdAt = () => at('created_at').notNull().defaultNow();

/** The draft of the program (one row, id 1): the structured source every render comes from. */
export const disclosureProgramDraft = pgTable('disclosure_program_draft', {
  id: integer('id').primaryKey(),
  /** `ProgramSource` (see program.schema.ts), validated by zod on every write. */
  source: jsonb('source').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/** Published versions: immutable. Reports record the version the reporter accepted. */
export const disclosureProgramVersions = pgTable('disclosure_program_versions', {
  version: integer('version').primaryKey(),
  source: jsonb('source').notNull(),
  publishedAt: at('published_at').notNull().defaultNow(),
  publishedBy: uuid('published_by'),
});

/** The program's OpenPGP keys: encryption key for reporters, and signer of security.txt. */
export const disclosurePgpKeys = pgTable('disclosure_pgp_keys', {
  id: id(),
  fingerprint: text('fingerprint').notNull().unique(),
  publicKey: text('public_key').notNull(),
  /** Armored private key, sealed with the keyring (AAD: `disclosure-pgp-key:<id>`). */
  privateKeySealed: text('private_key_sealed').notNull(),
  userIds: jsonb('user_ids').$type<string[]>().notNull().default([]),
  expiresAt: at('expires_at'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

export const reportStatuses = [
  'new',
  'triaged',
  'accepted',
  'fixing',
  'resolved',
  'disclosed',
  'duplicate',
  'out_of_scope',
  'informative',
  'not_applicable',
  'spam',
  'wont_fix',
] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const reportChannels = ['web', 'api', 'email', 'github'] as const;
export type ReportChannel = (typeof reportChannels)[number];

export const disclosureReports = pgTable(
  'disclosure_reports',
  {
    id: id(),
    /** Human reference shown everywhere: #12. */
    number: serial('number').notNull().unique(),
    status: text('status').$type<ReportStatus>().notNull().default('new'),
    /** needs_more_info (waiting on the researcher) or retest (fix to confirm); null otherwise. */
    subStatus: text('sub_status'),
    channel: text('channel').$type<ReportChannel>().notNull(),
    /**
     * E-mail reports: whether the sender's From domain was authenticated (SPF/DKIM/DMARC). False: the
     * reporter address may be forged (shown to the team). Null for other channels.
     */
    senderVerified: boolean('sender_verified'),
    /** Idempotency for imports: the e-mail Message-ID, the GitHub advisory GHSA id. */
    sourceRef: text('source_ref'),
    sourceUrl: text('source_url'),
    policyVersion: integer('policy_version').notNull(),
    locale: text('locale').notNull().default('en'),
    asset: text('asset'),
    category: text('category'),
    outOfScope: boolean('out_of_scope').notNull().default(false),
    /** `{ title, description, steps, impact }`, sealed. */
    contentSealed: text('content_sealed').notNull(),
    /** `{ name, email, handle, url }`, sealed; null when anonymous or erased. */
    reporterSealed: text('reporter_sealed'),
    /** Keyed hash of the e-mail (reporterEmailHash): rate limits, magic links, threading. Null when anonymous. */
    reporterEmailHash: text('reporter_email_hash'),
    creditPreference: text('credit_preference').notNull().default('anonymous'),
    cvssVector: text('cvss_vector'),
    cvssScore: text('cvss_score'),
    severity: text('severity'),
    /**
     * True while score and severity come from the reporter's own vector, scored on arrival: a proposal
     * that sorts and filters the inbox until someone on the team confirms or changes it.
     */
    severityProposed: boolean('severity_proposed').notNull().default(false),
    cweId: text('cwe_id'),
    assigneeId: uuid('assignee_id'),
    issueUrl: text('issue_url'),
    duplicateOf: uuid('duplicate_of'),
    duplicateCandidates: jsonb('duplicate_candidates').$type<string[]>().notNull().default([]),
    followTokenHash: text('follow_token_hash').notNull().unique(),
    receivedAt: at('received_at').notNull().defaultNow(),
    responseDueAt: at('response_due_at').notNull(),
    firstResponseAt: at('first_response_at'),
    expectedResolutionOn: text('expected_resolution_on'),
    triagedAt: at('triaged_at'),
    fixDueAt: at('fix_due_at'),
    resolvedAt: at('resolved_at'),
    closedAt: at('closed_at'),
    /**
     * When the researcher wrote on a report that was already closed: it shows in the open inbox until the
     * team answers or changes the status (the status itself stays the team's decision).
     */
    replyAfterCloseAt: at('reply_after_close_at'),
    disclosureDueAt: at('disclosure_due_at'),
    disclosedAt: at('disclosed_at'),
    erasedAt: at('erased_at'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check(
      'disclosure_reports_status_check',
      sql`${t.status} in ('new','triaged','accepted','fixing','resolved','disclosed','duplicate','out_of_scope','informative','not_applicable','spam','wont_fix')`,
    ),
    check(
      'disclosure_reports_sub_status_check',
      sql`${t.subStatus} is null or ${t.subStatus} in ('needs_more_info','retest')`,
    ),
    unique('disclosure_reports_source').on(t.channel, t.sourceRef),
    index('disclosure_reports_status_idx').on(t.status, t.receivedAt),
    index('disclosure_reports_asset_idx').on(t.asset),
    index('disclosure_reports_email_idx').on(t.reporterEmailHash),
  ],
);

/**
 * The conversation: `researcher` and `team` messages are seen by both sides, `note` only by the team,
 * `system` lines are generated (state changes shown to the researcher).
 */
export const disclosureMessages = pgTable(
  'disclosure_messages',
  {
    id: id(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => disclosureReports.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    authorUserId: uuid('author_user_id'),
    bodySealed: text('body_sealed').notNull(),
    /** RFC 5322 Message-ID of the e-mail this came in as or went out as, for threading replies. */
    emailMessageId: text('email_message_id'),
    /** A first response carries the assessment; marked so the SLA can prove it. */
    isFirstResponse: boolean('is_first_response').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    check('disclosure_messages_kind_check', sql`${t.kind} in ('researcher','team','note','system')`),
    index('disclosure_messages_report_idx').on(t.reportId, t.createdAt),
    index('disclosure_messages_email_idx').on(t.emailMessageId),
  ],
);

/** Files sent with a report or a message: sealed bytes in the database, so backups hold them. */
export const disclosureAttachments = pgTable(
  'disclosure_attachments',
  {
    id: id(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => disclosureReports.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id'),
    fileNameSealed: text('file_name_sealed').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    contentSealed: text('content_sealed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('disclosure_attachments_report_idx').on(t.reportId)],
);

/** The report's timeline: state changes, assignment, severity, first response, reminders. */
export const disclosureReportEvents = pgTable(
  'disclosure_report_events',
  {
    id: id(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => disclosureReports.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    actorUserId: uuid('actor_user_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: at('occurred_at').notNull().defaultNow(),
  },
  (t) => [index('disclosure_report_events_report_idx').on(t.reportId, t.occurredAt)],
);

/** Magic links e-mailed to researchers: the token's SHA-256, the address hash it was sent to. */
export const disclosureResearcherLinks = pgTable('disclosure_researcher_links', {
  id: id(),
  emailHash: text('email_hash').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  createdAt: createdAt(),
});

/**
 * Every e-mail accepted by the SMTP listener or fetched over IMAP, stored (sealed) before the SMTP 250
 * or the IMAP flag: processing happens afterwards in a job, so an accepted message is never lost.
 */
export const disclosureInboundMail = pgTable(
  'disclosure_inbound_mail',
  {
    id: id(),
    source: text('source').notNull(),
    messageId: text('message_id'),
    rawSealed: text('raw_sealed').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
    processedAt: at('processed_at'),
    reportId: uuid('report_id'),
    error: text('error'),
  },
  (t) => [
    check('disclosure_inbound_mail_source_check', sql`${t.source} in ('smtp','imap')`),
    unique('disclosure_inbound_mail_message').on(t.source, t.messageId),
  ],
);

/** Canned responses the team picks from when answering, per locale. */
export const disclosureCannedResponses = pgTable('disclosure_canned_responses', {
  id: id(),
  locale: text('locale').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
});

/** SLA reminders and breach alerts already sent, so each is sent once per report and deadline. */
export const disclosureSlaNotices = pgTable(
  'disclosure_sla_notices',
  {
    reportId: uuid('report_id')
      .notNull()
      .references(() => disclosureReports.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    sentAt: at('sent_at').notNull().defaultNow(),
  },
  (t) => [unique('disclosure_sla_notices_once').on(t.reportId, t.kind)],
);

export const advisoryStatuses = ['draft', 'shared', 'published'] as const;
export type AdvisoryStatus = (typeof advisoryStatuses)[number];

export const disclosureAdvisories = pgTable(
  'disclosure_advisories',
  {
    id: id(),
    /** Public identifier: ATTEST-2026-0001 style, unique; a CVE id when one is assigned. */
    identifier: text('identifier').notNull().unique(),
    cveId: text('cve_id'),
    status: text('status').$type<AdvisoryStatus>().notNull().default('draft'),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    description: text('description').notNull().default(''),
    /** `[{ name, purl, ranges: [{ introduced, fixed }], versions }]` (see advisories.schemas.ts). */
    affected: jsonb('affected').$type<unknown[]>().notNull().default([]),
    cvssV3Vector: text('cvss_v3_vector'),
    cvssV4Vector: text('cvss_v4_vector'),
    cweIds: jsonb('cwe_ids').$type<string[]>().notNull().default([]),
    /** `[{ name, type: 'finder' | 'reporter' | … }]`. */
    credits: jsonb('credits').$type<unknown[]>().notNull().default([]),
    references: jsonb('references').$type<string[]>().notNull().default([]),
    reportId: uuid('report_id'),
    embargoUntil: at('embargo_until'),
    publishedAt: at('published_at'),
    revision: integer('revision').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [check('disclosure_advisories_status_check', sql`${t.status} in ('draft','shared','published')`)],
);

/**
 * Each public revision of an advisory, frozen when it is published: the advisory as it read then and who
 * published it (organisation name, public URL), the exact CSAF document served and its detached OpenPGP
 * signature. Rows are only ever added: a later rename or edit never changes what was published.
 */
export const disclosureAdvisoryRevisions = pgTable(
  'disclosure_advisory_revisions',
  {
    id: id(),
    advisoryId: uuid('advisory_id')
      .notNull()
      .references(() => disclosureAdvisories.id, { onDelete: 'restrict' }),
    number: integer('number').notNull(),
    publishedAt: at('published_at').notNull(),
    summary: text('summary').notNull(),
    /** `FrozenAdvisory` (see advisories.revisions.ts): the exports' inputs, dates as ISO strings. */
    snapshot: jsonb('snapshot').notNull(),
    /** The CSAF document, byte for byte as served and signed. */
    csaf: text('csaf').notNull(),
    /** Armored detached signature of `csaf` by the program key; null when no key was active. */
    csafSignature: text('csaf_signature'),
    signingKeyFingerprint: text('signing_key_fingerprint'),
    createdAt: createdAt(),
  },
  (t) => [unique('disclosure_advisory_revisions_number').on(t.advisoryId, t.number)],
);
