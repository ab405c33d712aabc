import { and, count, gte, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Queryable } from '../core/db/index.ts';
import { findDraft, findNewestVersion } from './program/program.store.ts';
import { disclosureProgramVersions, disclosureReports } from './tables.ts';
import { OPEN_STATUSES } from './triage/triage.states.ts';
import { overdueCondition } from './triage/triage.store.ts';

/** What the home page asks of the disclosure domain: counts only, nothing sealed is opened. */

const r = disclosureReports;

export type ReportAttention = {
  /** Open, waiting for a first response that is not late yet. */
  due: number;
  /** Open and late: first response or fix target past its deadline. */
  breached: number;
};

export async function countReportAttention(q: Queryable, now: Date): Promise<ReportAttention> {
  const [due] = await q
    .select({ n: count() })
    .from(r)
    .where(and(inArray(r.status, [...OPEN_STATUSES]), isNull(r.firstResponseAt), gte(r.responseDueAt, now)));
  const [breached] = await q.select({ n: count() }).from(r).where(overdueCondition(now));
  return { due: Number(due?.n ?? 0), breached: Number(breached?.n ?? 0) };
}

/** A person published a version (version 1 is written by the system at first start). */
export async function programPublishedByPerson(q: Queryable): Promise<boolean> {
  const [row] = await q
    .select({ version: disclosureProgramVersions.version })
    .from(disclosureProgramVersions)
    .where(isNotNull(disclosureProgramVersions.publishedBy))
    .limit(1);
  return row !== undefined;
}

const PLACEHOLDER_HOST = /(^|\.)(localhost|example\.(com|org|net)|invalid|test)$/i;

/** Whether an address is a placeholder nobody reads (security@localhost, …@example.com). */
export function isPlaceholderAddress(address: string): boolean {
  const host = (address.replace(/^mailto:/i, '').split('@')[1] ?? '').replace(/^\[|\]$/g, '');
  // A host without a dot (localhost, a machine name) or an IP literal is the machine Attest first ran on.
  return !host.includes('.') || /^[\d.]+$/.test(host) || host.includes(':') || PLACEHOLDER_HOST.test(host);
}

/** The program (its draft) names an e-mail contact that reaches someone (not a placeholder). */
export async function programHasRealContact(q: Queryable): Promise<boolean> {
  // The draft row is created on first read; until then the newest version is the program.
  const source = (await findDraft(q))?.source ?? (await findNewestVersion(q))?.source;
  const contacts = (source as { contacts?: { kind?: unknown; value?: unknown }[] } | undefined)?.contacts;
  if (!Array.isArray(contacts)) return false;
  return contacts.some(
    (contact) =>
      contact.kind === 'email' && typeof contact.value === 'string' && !isPlaceholderAddress(contact.value),
  );
}
