import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The compliance program. Catalog rows (source `catalog`) are upserted from catalog/ at start when the catalog
 * version changes; the company's own columns (enabled, owner, applicability, notes) are never written by that
 * sync, and catalog rows that a new version drops are marked retired, never deleted, so nothing the company
 * attached to them is lost. Localized texts are `{ en, es, fr }` objects.
 */

const at = (name: string) => timestamp(name, { withTimezone: true });
type Localized = { en: string; es: string; fr: string };

/** One row (id 1): the catalog version last loaded (SHA-256 of its canonical JSON) and when. */
export const complianceCatalogState = pgTable('compliance_catalog_state', {
  id: integer('id').primaryKey(),
  version: text('version').notNull(),
  loadedAt: at('loaded_at').notNull().defaultNow(),
});

/** Each catalog version loaded, with what it changed: shown to the company after an upgrade. */
export const complianceCatalogUpgrades = pgTable('compliance_catalog_upgrades', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  fromVersion: text('from_version'),
  toVersion: text('to_version').notNull(),
  loadedAt: at('loaded_at').notNull().defaultNow(),
  /** `CatalogChanges` (frameworks/catalog-sync.ts): ids added, retired and updated, mapping counts. */
  changes: jsonb('changes').$type<Record<string, unknown>>().notNull(),
});

export const complianceFrameworks = pgTable('compliance_frameworks', {
  id: text('id').primaryKey(),
  source: text('source').notNull().default('catalog'),
  version: text('version').notNull(),
  publisher: text('publisher').notNull(),
  name: jsonb('name').$type<Localized>().notNull(),
  description: jsonb('description').$type<Localized>().notNull(),
  /** The company follows this framework (its readiness shows on the posture). Off until enabled. */
  enabled: boolean('enabled').notNull().default(false),
  retiredAt: at('retired_at'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export const complianceRequirements = pgTable(
  'compliance_requirements',
  {
    frameworkId: text('framework_id')
      .notNull()
      .references(() => complianceFrameworks.id),
    /** The official reference: `A.5.1`, `CC6.1`, `164.308(a)(1)(ii)(A)`. */
    id: text('id').notNull(),
    source: text('source').notNull().default('catalog'),
    groupId: text('group_id').notNull(),
    position: integer('position').notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    description: jsonb('description').$type<Localized>().notNull(),
    retiredAt: at('retired_at'),
  },
  (table) => [primaryKey({ columns: [table.frameworkId, table.id] })],
);

export type EvidenceRequirement = { name: Localized; freshnessDays: number };

export const complianceControls = pgTable(
  'compliance_controls',
  {
    /** `ACC-01` for catalog controls. */
    id: text('id').primaryKey(),
    source: text('source').notNull().default('catalog'),
    family: text('family').notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    description: jsonb('description').$type<Localized>().notNull(),
    /** What proves the control, by position: evidence items name their requirement by this index. */
    evidence: jsonb('evidence').$type<EvidenceRequirement[]>().notNull(),
    retiredAt: at('retired_at'),
    // The company's own columns: never written by the catalog sync.
    ownerId: uuid('owner_id'),
    applicable: boolean('applicable').notNull().default(true),
    notApplicableReason: text('not_applicable_reason'),
    implementationNotes: text('implementation_notes'),
    /** Derived (status.ts), stored so lists filter fast and changes can be recorded; never set by a user. */
    status: text('status').notNull().default('not_started'),
    statusSince: at('status_since').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    check(
      'compliance_controls_status',
      sql`${table.status} in ('passing','failing','stale','not_started','not_applicable')`,
    ),
    check(
      'compliance_controls_na_reason',
      sql`${table.applicable} or ${table.notApplicableReason} is not null`,
    ),
    index('compliance_controls_status_idx').on(table.status),
  ],
);

export const complianceMappings = pgTable(
  'compliance_mappings',
  {
    controlId: text('control_id')
      .notNull()
      .references(() => complianceControls.id),
    frameworkId: text('framework_id').notNull(),
    requirementId: text('requirement_id').notNull(),
    source: text('source').notNull().default('catalog'),
    relation: text('relation').notNull(),
    rationale: text('rationale').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.controlId, table.frameworkId, table.requirementId] }),
    index('compliance_mappings_requirement_idx').on(table.frameworkId, table.requirementId),
  ],
);

/** Every change of a control's derived status, for time out of compliance and trends. */
export const complianceControlStatusHistory = pgTable(
  'compliance_control_status_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    controlId: text('control_id').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    changedAt: at('changed_at').notNull().defaultNow(),
    /** What made it change: `evidence.added`, `control.updated`, `time` (evidence expired), `catalog`. */
    cause: text('cause').notNull(),
  },
  (table) => [index('compliance_status_history_control_idx').on(table.controlId, table.changedAt)],
);

/**
 * The evidence ledger: append-only and hash-chained like the audit log (migration triggers refuse UPDATE,
 * DELETE and TRUNCATE). A correction is a new item naming the one it `supersedes`. `seq` is last seq + 1
 * under an advisory lock, so a gap means a removed row; `compliance_evidence_head` holds the newest hash.
 */
export const complianceEvidence = pgTable(
  'compliance_evidence',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    controlId: text('control_id').notNull(),
    /** Index into the control's `evidence` list: which required evidence this item proves. */
    requirementIndex: integer('requirement_index').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    url: text('url'),
    note: text('note'),
    /** SHA-256 (hex) of the content: the URL for a link, the text for a note (the file's bytes, later). */
    contentSha256: text('content_sha256').notNull(),
    /** `satisfies`, or `fails` when the evidence shows the control not working (a failed test, findings). */
    outcome: text('outcome').notNull(),
    coveredFrom: text('covered_from').notNull(),
    coveredTo: text('covered_to').notNull(),
    collectedAt: text('collected_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    addedAt: text('added_at').notNull(),
    addedByType: text('added_by_type').notNull(),
    addedById: text('added_by_id'),
    addedByLabel: text('added_by_label'),
    supersedes: uuid('supersedes'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [
    index('compliance_evidence_control_idx').on(table.controlId, table.requirementIndex),
    check('compliance_evidence_kind', sql`${table.kind} in ('link','note')`),
    check('compliance_evidence_outcome', sql`${table.outcome} in ('satisfies','fails')`),
  ],
);

export const complianceEvidenceHead = pgTable('compliance_evidence_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
