import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../../src/core/context.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import { createReport, type IncomingAttachment } from '../../../src/disclosure/reports/reports.service.ts';
import { type ReportRow, updateReport } from '../../../src/disclosure/reports/reports.store.ts';

export const TRIAGE_API = '/api/v1/disclosure';

/** A fresh researcher address, so each test reads only its own mail. */
export function researcherEmail(): string {
  return `researcher-${randomBytes(5).toString('hex')}@researcher.test`;
}

/** A report as intake would create it (through the lead's createReport), in its own transaction. */
export async function makeReport(
  ctx: AppContext,
  options: {
    locale?: 'en' | 'es' | 'fr';
    email?: string | null;
    title?: string;
    asset?: string;
    receivedAt?: Date;
    attachments?: IncomingAttachment[];
    cvssVector?: string;
    category?: string;
  } = {},
): Promise<ReportRow> {
  const email = options.email === undefined ? researcherEmail() : options.email;
  const created = await ctx.database.db.transaction((tx) =>
    createReport(
      ctx,
      tx,
      systemActor('test'),
      {
        locale: options.locale ?? 'en',
        asset: options.asset ?? null,
        ...(options.category ? { category: options.category } : {}),
        content: {
          title: options.title ?? 'Stored XSS in the profile page',
          description: 'The display name is rendered without escaping.',
          steps: '1. Set the name to <script>alert(1)</script>\n2. Open the profile',
          impact: 'Session theft of any visitor.',
        },
        reporter: email ? { name: 'Zoë Researcher', email, handle: 'zoe' } : undefined,
        attachments: options.attachments,
        cvssVector: options.cvssVector,
      },
      { channel: 'web', receivedAt: options.receivedAt },
    ),
  );
  return created.report;
}

/** Puts a report straight into a state, as if its history had happened (for table-driven tests). */
export async function forceState(
  ctx: AppContext,
  report: ReportRow,
  changes: Partial<ReportRow>,
): Promise<ReportRow> {
  return (await updateReport(ctx.database.db, report.id, changes)) as ReportRow;
}
