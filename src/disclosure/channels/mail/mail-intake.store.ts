import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { decrypt, encrypt, sha256Hex } from '../../../core/crypto/index.ts';
import { databaseText, type Queryable } from '../../../core/db/index.ts';
import type { JobDefinition } from '../../../core/jobs/index.ts';
import { inboundMailAad } from '../../reports/reports.sealing.ts';
import { disclosureInboundMail } from '../../tables.ts';

export type InboundSource = 'smtp' | 'imap';
export type InboundMailRow = typeof disclosureInboundMail.$inferSelect;
/** The processing job's payload: only the row id, the message itself stays sealed in the database. */
export const InboundMailPayload = z.strictObject({ inboundId: z.uuid() });
export type InboundJob = JobDefinition<typeof InboundMailPayload>;

/** Unfolded value of the first `name:` header in the raw message's header block, or undefined. */
export function rawHeader(raw: Buffer, name: string): string | undefined {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const line = block.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/**
 * The key that makes a re-delivery idempotent: the Message-ID, or (a message without one) a hash of
 * the bytes, so the same message fetched twice from a mailbox is still stored once.
 */
export function inboundKey(raw: Buffer): string {
  const messageId = /<[^<>\s]{1,900}>/.exec(rawHeader(raw, 'message-id') ?? '')?.[0];
  return messageId ? databaseText(messageId) : `sha256:${sha256Hex(raw)}`;
}

/**
 * Stores one received message, sealed, and enqueues its processing in the same transaction: once this
 * resolves the message is durable, and the SMTP listener may answer 250 / the poller may flag it.
 * A message already stored from the same source (same key) is not stored again; its row is returned.
 */
export async function storeInboundMail(
  ctx: AppContext,
  job: InboundJob,
  source: InboundSource,
  raw: Buffer,
): Promise<{ row: InboundMailRow; created: boolean }> {
  const id = randomUUID();
  const messageId = inboundKey(raw);
  return ctx.database.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(disclosureInboundMail)
      .values({ id, source, messageId, rawSealed: encrypt(ctx.keyring, raw, inboundMailAad(id)) })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await ctx.jobs.send(job, { inboundId: id }, { tx });
      return { row: inserted, created: true };
    }
    const [existing] = await tx
      .select()
      .from(disclosureInboundMail)
      .where(and(eq(disclosureInboundMail.source, source), eq(disclosureInboundMail.messageId, messageId)));
    if (!existing) throw new Error('inbound mail conflicted but cannot be found');
    return { row: existing, created: false };
  });
}

export function openInboundRaw(ctx: AppContext, row: InboundMailRow): Buffer {
  return decrypt(ctx.keyring, row.rawSealed, inboundMailAad(row.id));
}

export async function findInboundMail(
  q: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<InboundMailRow | undefined> {
  const query = q.select().from(disclosureInboundMail).where(eq(disclosureInboundMail.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** Done with a message: the report it created or joined, or why it was set aside. */
export async function markInboundProcessed(
  q: Queryable,
  id: string,
  outcome: { reportId?: string | null; error?: string | null },
): Promise<void> {
  await q
    .update(disclosureInboundMail)
    .set({
      processedAt: new Date(),
      reportId: outcome.reportId ?? null,
      error: outcome.error ? databaseText(outcome.error) : null,
    })
    .where(eq(disclosureInboundMail.id, id));
}

/** Why the last attempt failed (the job retries); `processedAt` stays null, so the message stays pending. */
export async function recordInboundFailure(q: Queryable, id: string, error: string): Promise<void> {
  await q
    .update(disclosureInboundMail)
    .set({ error: databaseText(error.slice(0, 1000)) })
    .where(and(eq(disclosureInboundMail.id, id), isNull(disclosureInboundMail.processedAt)));
}

/**
 * Messages stored but not processed, received before `before`, oldest first, whose processing job is
 * gone (a process stopped between storing and processing, or pg-boss archived it): the sweep re-enqueues
 * them. One with a job still waiting, running, or dead is left alone: a dead job waits for an admin
 * (Failed jobs), rather than a new one failing the same way every hour.
 */
export async function findPendingInboundIds(
  q: Queryable,
  before: Date,
  limit = 500,
  queue = 'disclosure.mail-intake-process',
): Promise<string[]> {
  const hasJob = sql`exists (select 1 from pgboss.job j where j.name = ${queue}
    and j.data->>'inboundId' = ${disclosureInboundMail.id}::text and j.state <> 'completed')`;
  const rows = await q
    .select({ id: disclosureInboundMail.id })
    .from(disclosureInboundMail)
    .where(
      and(
        isNull(disclosureInboundMail.processedAt),
        lt(disclosureInboundMail.receivedAt, before),
        sql`not ${hasJob}`,
      ),
    )
    .orderBy(asc(disclosureInboundMail.receivedAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

export type InboundCounts = { pending: number; failing: number; lastReceivedAt: Date | null };

export async function countInboundMail(q: Queryable): Promise<InboundCounts> {
  const [row] = await q
    .select({
      pending: count(),
      failing: sql<number>`count(${disclosureInboundMail.error})::int`,
    })
    .from(disclosureInboundMail)
    .where(isNull(disclosureInboundMail.processedAt));
  const [last] = await q
    .select({ at: sql<Date | null>`max(${disclosureInboundMail.receivedAt})` })
    .from(disclosureInboundMail);
  return {
    pending: Number(row?.pending ?? 0),
    failing: Number(row?.failing ?? 0),
    lastReceivedAt: last?.at ? new Date(last.at) : null,
  };
}
