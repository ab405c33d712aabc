import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * How much mail anonymous requests queued per recipient and per client address in each hour
 * (see mail.quota.ts). `key` is a keyed hash, never the address itself.
 */
export const mailQuotas = pgTable(
  'mail_quotas',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    /** Mails asked for in the window, queued or dropped: those past the cap were dropped. */
    attempts: integer('attempts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('mail_quotas_window_idx').on(t.windowStart)],
);
