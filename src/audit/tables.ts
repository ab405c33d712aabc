import { bigint, bigserial, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained. Migration 0001 adds triggers that refuse UPDATE, DELETE and TRUNCATE.
 * `seq` is assigned under an advisory lock as last seq + 1, so a gap means a removed row.
 */
export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique().defaultRandom(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
  actorType: text('actor_type').notNull(),
  actorId: text('actor_id'),
  actorLabel: text('actor_label'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** The chain's head, written in the same transaction as each entry: removing the newest rows shows. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/**
 * Entries recorded but not yet chained. `recordAudit` inserts here inside the caller's transaction
 * without any lock; the chainer (audit.chainer.ts) moves committed rows into audit_log in `id`
 * order under the chain's lock, in batches, off the request path. Migration 0006 refuses UPDATE
 * and TRUNCATE here; DELETE is the chainer's hand-over (the row is in audit_log in the same commit).
 */
export const auditPending = pgTable('audit_pending', {
  pendingId: bigserial('pending_id', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
  actorType: text('actor_type').notNull(),
  actorId: text('actor_id'),
  actorLabel: text('actor_label'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
});
