import { and, asc, eq, inArray } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { auditLog, chainPendingAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import { toCsaf } from '../exports/export-csaf.ts';
import { type ActiveProgramKey, getActiveProgramKey } from '../program/program.keys.ts';
import { disclosureAdvisoryRevisions, disclosurePgpKeys } from '../tables.ts';
import type { AdvisoryData, Publisher } from './advisories.export.ts';

/** The audit log's target type of advisories. */
export const ADVISORY_TARGET = 'disclosure_advisory';

/**
 * Published advisories are immutable. Each public revision is frozen when it is published: the advisory
 * as it read then, who published it (organisation name, public URL, language), and the CSAF document
 * byte for byte with its detached OpenPGP signature. Every public copy (pages, OSV, CSAF, exports of a
 * published advisory) is made from the latest frozen revision, so renaming the organisation or changing
 * the settings never changes a published document; changing the advisory makes a new revision.
 */

export type FrozenPublisher = Pick<Publisher, 'name' | 'publicUrl' | 'lang'>;

/** One revision as the public side reads it. */
export type PublishedRevision = {
  advisory: AdvisoryData;
  publisher: FrozenPublisher;
  /** The CSAF document as served (and signed). */
  csaf: string;
  csafSignature: string | null;
  signingKeyFingerprint: string | null;
};

type Snapshot = { advisory: Record<string, unknown>; publisher: FrozenPublisher };

const DATE_FIELDS = ['embargoUntil', 'publishedAt', 'createdAt', 'updatedAt'] as const;

function toSnapshot(advisory: AdvisoryData, publisher: FrozenPublisher): Snapshot {
  // JSON keeps dates as ISO strings; revisions are not stored twice (they are the rows themselves).
  const { revisions: _revisions, ...fields } = advisory;
  return {
    advisory: JSON.parse(JSON.stringify(fields)) as Record<string, unknown>,
    publisher: { name: publisher.name, publicUrl: publisher.publicUrl, lang: publisher.lang },
  };
}

function fromSnapshot(snapshot: Snapshot, revisions: AdvisoryData['revisions']): AdvisoryData {
  const fields = { ...snapshot.advisory } as Record<string, unknown>;
  for (const key of DATE_FIELDS) {
    fields[key] = typeof fields[key] === 'string' ? new Date(fields[key] as string) : null;
  }
  return { ...(fields as unknown as AdvisoryData), revisions };
}

/** The CSAF file as served: pretty JSON and a final newline, the bytes the hashes and the signature cover. */
export function csafText(advisory: AdvisoryData, publisher: Publisher): string {
  return `${JSON.stringify(toCsaf(advisory, publisher), null, 2)}\n`;
}

/** A detached, armored OpenPGP signature over the exact bytes (a binary signature: no line-end rewriting). */
export async function signDetached(text: string, key: ActiveProgramKey): Promise<string> {
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  return openpgp.sign({ message, signingKeys: key.privateKey, detached: true, format: 'armored' });
}

/** What a revision needs from outside the transaction: the publisher now, and the key that signs. */
export type FreezeInputs = { publisher: FrozenPublisher; signer: ActiveProgramKey | undefined };

export async function freezeInputs(ctx: AppContext, publisher: FrozenPublisher): Promise<FreezeInputs> {
  return { publisher, signer: await getActiveProgramKey(ctx) };
}

/**
 * The public revisions the audit log records (`published` and `revised` entries, append-only): the
 * history of an advisory published before revisions were frozen.
 */
export async function auditedRevisions(
  q: Queryable,
  advisoryId: string,
): Promise<Map<number, { date: Date; summary: string }>> {
  // Rare (advisories published before revisions were frozen): chain what waits so it is all here.
  await chainPendingAudit(q);
  const entries = await q
    .select({ occurredAt: auditLog.occurredAt, details: auditLog.details })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.targetType, ADVISORY_TARGET),
        eq(auditLog.targetId, advisoryId),
        inArray(auditLog.action, ['disclosure.advisory.published', 'disclosure.advisory.revised']),
      ),
    )
    .orderBy(asc(auditLog.seq));
  return new Map(
    entries.map((entry) => [
      Number(entry.details.revision),
      {
        date: new Date(entry.occurredAt),
        summary: typeof entry.details.summary === 'string' ? entry.details.summary : 'Revised.',
      },
    ]),
  );
}

/**
 * Freezes the advisory's new public revision (its number is `advisory.revision`, its history the
 * earlier frozen revisions plus this one) inside the caller's transaction. Returns the frozen advisory.
 */
export async function freezeRevision(
  tx: Queryable,
  advisoryId: string,
  advisory: Omit<AdvisoryData, 'revisions'>,
  revision: { date: Date; summary: string },
  inputs: FreezeInputs,
): Promise<AdvisoryData> {
  const earlier = await tx
    .select({
      number: disclosureAdvisoryRevisions.number,
      publishedAt: disclosureAdvisoryRevisions.publishedAt,
      summary: disclosureAdvisoryRevisions.summary,
    })
    .from(disclosureAdvisoryRevisions)
    .where(eq(disclosureAdvisoryRevisions.advisoryId, advisoryId))
    .orderBy(asc(disclosureAdvisoryRevisions.number));
  const history = earlier.map((row) => ({ number: row.number, date: row.publishedAt, summary: row.summary }));
  if (history.length < advisory.revision - 1) {
    // Published before revisions were frozen: the earlier entries come from the audit log.
    const audited = await auditedRevisions(tx, advisoryId);
    const known = new Set(history.map((entry) => entry.number));
    for (let number = 1; number < advisory.revision; number += 1) {
      const entry = audited.get(number);
      if (!known.has(number) && entry) history.push({ number, ...entry });
    }
    history.sort((a, b) => a.number - b.number);
  }
  // CSAF dates have whole seconds, and aggregators notice a change by `current_release_date` (changes.csv):
  // a revision made within the second of the one before is dated one second after it.
  const previous = history.at(-1)?.date;
  const date =
    previous && Math.floor(revision.date.getTime() / 1000) <= Math.floor(previous.getTime() / 1000)
      ? new Date((Math.floor(previous.getTime() / 1000) + 1) * 1000)
      : revision.date;
  history.push({ number: advisory.revision, date, summary: revision.summary });
  // The document's last change is this revision's date, whatever else touched the row.
  const frozen: AdvisoryData = { ...advisory, updatedAt: date, revisions: history };
  const csaf = csafText(frozen, inputs.publisher);
  const signature = inputs.signer ? await signDetached(csaf, inputs.signer) : null;
  await tx
    .insert(disclosureAdvisoryRevisions)
    .values({
      advisoryId,
      number: advisory.revision,
      publishedAt: date,
      summary: revision.summary,
      snapshot: toSnapshot(frozen, inputs.publisher),
      csaf,
      csafSignature: signature,
      signingKeyFingerprint: signature ? (inputs.signer?.fingerprint ?? null) : null,
    })
    // Two processes freezing the same revision at start: the first one wins.
    .onConflictDoNothing();
  return frozen;
}

/** The latest frozen revision of each of these advisories (by advisory id); none for never-frozen ones. */
export async function latestRevisions(
  q: Queryable,
  advisoryIds: string[],
): Promise<Map<string, PublishedRevision>> {
  const latest = new Map<string, PublishedRevision>();
  if (advisoryIds.length === 0) return latest;
  const rows = await q
    .select()
    .from(disclosureAdvisoryRevisions)
    .where(inArray(disclosureAdvisoryRevisions.advisoryId, advisoryIds))
    .orderBy(asc(disclosureAdvisoryRevisions.advisoryId), asc(disclosureAdvisoryRevisions.number));
  const byAdvisory = new Map<string, (typeof rows)[number][]>();
  for (const row of rows) byAdvisory.set(row.advisoryId, [...(byAdvisory.get(row.advisoryId) ?? []), row]);
  for (const [advisoryId, revisions] of byAdvisory) {
    const last = revisions.at(-1) as (typeof rows)[number];
    const snapshot = last.snapshot as Snapshot;
    const history = revisions.map((row) => ({
      number: row.number,
      date: row.publishedAt,
      summary: row.summary,
    }));
    latest.set(advisoryId, {
      advisory: fromSnapshot(snapshot, history),
      publisher: snapshot.publisher,
      csaf: last.csaf,
      csafSignature: last.csafSignature,
      signingKeyFingerprint: last.signingKeyFingerprint,
    });
  }
  return latest;
}

/** The armored public key of a program key by fingerprint (deactivated ones too: old signatures still verify). */
export async function publicKeyByFingerprint(q: Queryable, fingerprint: string): Promise<string | undefined> {
  const [row] = await q
    .select({ publicKey: disclosurePgpKeys.publicKey })
    .from(disclosurePgpKeys)
    .where(eq(disclosurePgpKeys.fingerprint, fingerprint.toUpperCase()));
  return row?.publicKey;
}
