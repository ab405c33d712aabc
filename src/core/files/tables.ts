import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Files the product serves (trust documents), when they live in the database (no object store
 * configured). `sealed` is what the owning module wrote: already encrypted with the data key, so nothing
 * here is readable without it. `key` is `<area>/<random id>` (`trust-files/…`).
 */
export const storedFiles = pgTable('stored_files', {
  key: text('key').primaryKey(),
  sealed: text('sealed').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  storedAt: timestamp('stored_at', { withTimezone: true }).notNull().defaultNow(),
});
