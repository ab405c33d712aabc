import { z } from 'zod';
import { Id, LocaleField } from '../../core/http/fields.ts';
import { reportStatuses } from '../tables.ts';
import { subStatuses } from './triage.states.ts';

/** Shapes of the triage API (see triage.routes.ts). Names are stable: the admin app uses them. */

export const ReportStatusField = z.enum(reportStatuses);
export const SubStatusField = z.enum(subStatuses);
export const SeverityField = z.enum(['none', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeverityField>;

const Flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const LongText = z.string().trim().min(1).max(20_000);

export const ReportParams = z.strictObject({ reportId: Id });
export const AttachmentParams = z.strictObject({ reportId: Id, attachmentId: Id });
export const CannedResponseParams = z.strictObject({ cannedResponseId: Id });

export const InboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .regex(/^\d{1,7}$/, { error: 'a cursor from a previous page' })
    .optional()
    .describe('The nextCursor of the previous page'),
  status: ReportStatusField.optional(),
  subStatus: SubStatusField.optional(),
  state: z
    .enum(['open', 'closed'])
    .optional()
    .describe('open: new, triaged, accepted, fixing; closed: every other status'),
  asset: z.string().trim().min(1).max(300).optional().describe('Exact asset identifier'),
  severity: z.enum(['none', 'low', 'medium', 'high', 'critical', 'unrated']).optional(),
  assignee: z
    .union([Id, z.enum(['me', 'none'])])
    .optional()
    .describe('A user id, me, or none (unassigned)'),
  overdue: Flag.optional().describe(
    'true: open reports whose first response is late or whose fix target has passed',
  ),
  outOfScope: Flag.optional(),
  search: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'A number (12 or #12), or text matched against the asset and the title. Titles are sealed, so text ' +
        'is matched against the titles of the 500 most recent reports that pass the other filters.',
    ),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export const UserRef = z.object({ id: Id, name: z.string(), email: z.string() });

export const SlaView = z
  .object({
    state: z
      .enum(['due', 'due-soon', 'breached', 'met', 'missed', 'not-applicable'])
      .describe(
        'due / due-soon (within one business day) / breached: no first response yet; ' +
          'met / missed: answered ' +
          'by / after the deadline; not-applicable: closed without a first response before the deadline',
      ),
    responseDueAt: z.string(),
    businessDaysLeft: z.number().int().nullable().describe('Negative once breached; null once answered'),
    hoursLeft: z.number().int().nullable().describe('Wall-clock hours; negative once breached'),
    fixDueAt: z.string().nullable(),
    fixOverdue: z.boolean(),
    disclosureDueAt: z.string().nullable(),
  })
  .describe('The first-response clock runs in business days in the program time zone');

export const ReportSummaryView = z.object({
  id: Id,
  number: z.number().int(),
  title: z.string(),
  status: ReportStatusField,
  subStatus: SubStatusField.nullable(),
  channel: z.string(),
  senderVerified: z
    .boolean()
    .nullable()
    .describe(
      'E-mail reports: whether the From domain was authenticated (SPF, DKIM, DMARC); false means the ' +
        'reporter address may be forged. Null for other channels',
    ),
  locale: LocaleField,
  asset: z.string().nullable(),
  category: z.string().nullable(),
  outOfScope: z.boolean(),
  beforePolicy: z
    .boolean()
    .describe('Received (by mail or API) before the program was first published: no policy was accepted'),
  severity: SeverityField.nullable(),
  cvssScore: z.number().nullable(),
  severityProposed: z
    .boolean()
    .describe("true while severity and score come from the reporter's vector, not yet confirmed by the team"),
  assignee: UserRef.nullable(),
  receivedAt: z.string(),
  responseDueAt: z.string(),
  firstResponseAt: z.string().nullable(),
  replyAfterCloseAt: z
    .string()
    .nullable()
    .describe('When the researcher wrote on the closed report; it counts as open until the team answers'),
  sla: SlaView,
});
export type ReportSummaryView = z.infer<typeof ReportSummaryView>;

export const InboxPage = z.object({
  items: z.array(ReportSummaryView),
  nextCursor: z.string().nullable(),
});

export const MessageView = z.object({
  id: Id,
  kind: z.enum(['researcher', 'team', 'note', 'system']),
  authorUserId: z.string().nullable(),
  body: z.string(),
  isFirstResponse: z.boolean(),
  createdAt: z.string(),
});

export const AttachmentView = z.object({
  id: Id,
  messageId: z.string().nullable(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});

export const EventView = z.object({
  id: Id,
  type: z.string(),
  actorUserId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});

const ReportRef = z.object({ id: Id, number: z.number().int(), status: ReportStatusField });

export const ReportDetailView = ReportSummaryView.extend({
  categoryLabels: z
    .object({ en: z.string(), es: z.string(), fr: z.string() })
    .nullable()
    .describe(
      "The category's name in each language (the program's own names for its categories); null without one",
    ),
  content: z.object({ title: z.string(), description: z.string(), steps: z.string(), impact: z.string() }),
  reporter: z
    .object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      handle: z.string().nullable(),
      url: z.string().nullable(),
    })
    .nullable()
    .describe('null: anonymous, or erased on request (see erasedAt)'),
  creditPreference: z.string(),
  erasedAt: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  policyVersion: z.number().int(),
  cvssVector: z.string().nullable(),
  cweId: z.string().nullable(),
  issueUrl: z.string().nullable(),
  expectedResolutionOn: z.string().nullable(),
  triagedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  disclosedAt: z.string().nullable(),
  duplicateOf: ReportRef.nullable(),
  duplicateCandidates: z.array(ReportRef),
  allowedTransitions: z.array(ReportStatusField),
  allowedSubStatuses: z.array(SubStatusField),
  attachments: z.array(AttachmentView),
  messages: z.array(MessageView).describe('Everything, internal notes included (kind note)'),
  events: z.array(EventView),
});
export type ReportDetailView = z.infer<typeof ReportDetailView>;

export const TransitionBody = z.strictObject({
  to: ReportStatusField,
  subStatus: SubStatusField.nullable()
    .optional()
    .describe('Set (or, with null or absent, clear) a sub-state; `to` may be the current status'),
  message: LongText.optional().describe('Shown to the researcher and included in the status mail'),
  duplicateOf: z
    .union([Id, z.number().int().positive()])
    .optional()
    .describe('Required with to = duplicate: the original report, by id or number'),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const FirstResponseBody = z.strictObject({
  assessment: z
    .string({ error: 'a first response must carry an assessment of the report' })
    .trim()
    .min(1, { error: 'a first response must carry an assessment of the report' })
    .max(20_000),
  expectedResolutionOn: z.iso.date({
    error: 'a first response must carry an expected resolution date (YYYY-MM-DD)',
  }),
  status: ReportStatusField.optional().describe('Default: triaged when the report is new, else unchanged'),
});
export type FirstResponseBody = z.infer<typeof FirstResponseBody>;

export const MessageBody = z.strictObject({ body: LongText });

export const UpdateReportBody = z
  .strictObject({
    assigneeId: Id.nullable().describe('An active owner, admin or security user; null unassigns'),
    cvssVector: z
      .string()
      .trim()
      .max(300)
      .nullable()
      .describe('CVSS:3.1/… or CVSS:4.0/…; sets cvssScore and severity'),
    severity: SeverityField.nullable().describe('Only without a CVSS vector (the vector decides otherwise)'),
    cweId: z
      .string()
      .trim()
      .regex(/^CWE-\d{1,6}$/, { error: 'a CWE id such as CWE-79' })
      .nullable(),
    issueUrl: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL' })
      .max(2000)
      .nullable(),
    asset: z.string().trim().min(1).max(300).nullable(),
    category: z.string().trim().min(1).max(80).nullable(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'change at least one field' });
export type UpdateReportBody = z.infer<typeof UpdateReportBody>;

export const EraseReporterView = z.object({
  report: ReportSummaryView,
  otherReports: z
    .array(z.object({ id: Id, number: z.number().int() }))
    .describe('Other reports from the same address, which keep their reporter until erased too'),
});

export const CannedResponseView = z.object({
  id: Id,
  locale: LocaleField,
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export const CannedResponseBody = z.strictObject({
  locale: LocaleField,
  title: z.string().trim().min(1).max(200),
  body: LongText,
});
export const UpdateCannedResponseBody = CannedResponseBody.partial().refine(
  (body) => Object.keys(body).length > 0,
  { error: 'change at least one field' },
);
export const CannedResponseQuery = z.strictObject({ locale: LocaleField.optional() });

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'a month such as 2026-03' });

export const MetricsQuery = z.strictObject({
  from: Month.optional().describe('First month (YYYY-MM, program time zone); default 11 months before `to`'),
  to: Month.optional().describe('Last month (YYYY-MM); default the current month'),
});

const Durations = z
  .object({
    count: z.number().int(),
    medianHours: z.number().nullable(),
    averageHours: z.number().nullable(),
  })
  .describe('Hours from receipt, over the reports that reached the step');

const MonthMetrics = z.object({
  received: z.number().int(),
  firstResponse: Durations,
  triage: Durations,
  resolution: Durations,
  sla: z.object({
    counted: z.number().int().describe('Reports whose first-response deadline applies and is settled'),
    withinSla: z.number().int(),
    share: z.number().nullable().describe('withinSla / counted, 0..1; null when nothing counted'),
  }),
});

export const MetricsView = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  months: z.array(MonthMetrics.extend({ month: z.string() })),
  totals: MonthMetrics,
  openByStatus: z.object({
    new: z.number().int(),
    triaged: z.number().int(),
    accepted: z.number().int(),
    fixing: z.number().int(),
  }),
  waiting: z.object({ needsMoreInfo: z.number().int(), retest: z.number().int() }),
});
export type MetricsView = z.infer<typeof MetricsView>;
