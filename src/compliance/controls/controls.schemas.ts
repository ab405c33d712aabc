import { z } from 'zod';
import { Cursor, Id, LocaleField } from '../../core/http/fields.ts';
import { CONTROL_STATUSES } from './status.ts';

/** The zod shapes of the compliance program API: frameworks, controls, evidence. */

export const LocalizedView = z.object({ en: z.string(), es: z.string(), fr: z.string() });
export const ControlStatusField = z.enum(CONTROL_STATUSES);

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(80);
export const FrameworkParams = z.strictObject({ frameworkId: z.string().min(1).max(80) });
export const ControlParams = z.strictObject({ controlId: z.string().min(1).max(40) });
export const OscalQuery = z.strictObject({ locale: LocaleField.default('en') });

export const FrameworkView = z.object({
  id: z.string(),
  source: z.string(),
  version: z.string(),
  publisher: z.string(),
  name: LocalizedView,
  description: LocalizedView,
  enabled: z.boolean(),
  requirements: z.number().int(),
  requirementStatuses: z.object({
    met: z.number().int(),
    not_met: z.number().int(),
    not_applicable: z.number().int(),
    not_covered: z.number().int(),
  }),
  readiness: z.object({
    met: z.number().int(),
    applicable: z.number().int(),
    share: z.number().nullable().describe('met / applicable, 0–1; null when nothing applies'),
  }),
});
export const FrameworkUpdate = z.strictObject({ enabled: z.boolean() });
export const FrameworkEnabledView = z.object({ id: z.string(), enabled: z.boolean() });

export const ControlQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: Cursor.regex(/^\d{1,9}$/).optional(),
  status: ControlStatusField.optional(),
  family: Slug.optional(),
  frameworkId: Slug.optional(),
  search: z.string().trim().min(1).max(100).optional(),
});

export const ControlSummaryView = z.object({
  id: z.string(),
  family: z.string(),
  title: LocalizedView,
  status: ControlStatusField,
  statusSince: z.string(),
  ownerId: z.string().nullable(),
  applicable: z.boolean(),
});
export const ControlPage = z.object({
  items: z.array(ControlSummaryView),
  nextCursor: z.string().nullable(),
});

export const EvidenceView = z.object({
  id: z.string(),
  seq: z.number().int(),
  requirementIndex: z.number().int(),
  kind: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  note: z.string().nullable(),
  contentSha256: z.string(),
  outcome: z.string(),
  coveredFrom: z.string(),
  coveredTo: z.string(),
  collectedAt: z.string(),
  expiresAt: z.string(),
  addedAt: z.string(),
  addedBy: z.string().nullable(),
  supersedes: z.string().nullable(),
  superseded: z.boolean(),
});

export const ControlDetailView = z.object({
  id: z.string(),
  source: z.string(),
  family: z.string(),
  title: LocalizedView,
  description: LocalizedView,
  retired: z.boolean(),
  status: ControlStatusField,
  statusSince: z.string(),
  owner: z.object({ id: z.string(), name: z.string().nullable(), email: z.string() }).nullable(),
  applicable: z.boolean(),
  notApplicableReason: z.string().nullable(),
  implementationNotes: z.string().nullable(),
  requiredEvidence: z.array(
    z.object({
      index: z.number().int(),
      name: LocalizedView,
      freshnessDays: z.number().int(),
      expiresAt: z.string().nullable(),
    }),
  ),
  mappings: z.array(
    z.object({
      frameworkId: z.string(),
      requirementId: z.string(),
      relation: z.string(),
      rationale: z.string(),
      source: z.string(),
    }),
  ),
  evidence: z.array(EvidenceView),
  history: z.array(
    z.object({ from: z.string().nullable(), to: z.string(), at: z.string(), cause: z.string() }),
  ),
  outOfComplianceMs: z.number().int().describe('total time spent failing or stale'),
});

export const ControlUpdate = z
  .strictObject({
    ownerId: Id.nullable().optional(),
    applicable: z.boolean().optional(),
    notApplicableReason: z.string().trim().min(10).max(2000).nullable().optional(),
    implementationNotes: z.string().trim().max(10_000).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'nothing to change' });

const CalendarDate = z.iso.date();
export const EvidenceCreate = z.strictObject({
  requirementIndex: z.number().int().min(0).max(50),
  kind: z.enum(['link', 'note']),
  title: z.string().trim().min(1).max(200),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  note: z.string().trim().min(1).max(20_000).optional(),
  outcome: z.enum(['satisfies', 'fails']).default('satisfies'),
  coveredFrom: CalendarDate,
  coveredTo: CalendarDate,
  collectedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  supersedes: Id.optional(),
});
