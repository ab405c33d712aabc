import { eq, inArray, like } from 'drizzle-orm';
import type { Database, Queryable } from '../db/index.ts';
import type { FileStore } from './file-store.ts';
import { storedFiles } from './tables.ts';

/**
 * Files in the `stored_files` table: every process on the database reaches them, and a database backup
 * (pg_dump, or PGlite's dump) holds them with the rows that point at them.
 */
export function databaseFileStore(database: Pick<Database, 'db'>, through?: Queryable): FileStore {
  const q = () => through ?? database.db;
  return {
    kind: 'database',
    within: (tx) => databaseFileStore(database, tx),
    async put(key, sealed) {
      const row = { key, sealed, sizeBytes: Buffer.byteLength(sealed, 'utf8'), storedAt: new Date() };
      await q().insert(storedFiles).values(row).onConflictDoUpdate({ target: storedFiles.key, set: row });
    },
    async putIfAbsent(key, sealed) {
      const inserted = await q()
        .insert(storedFiles)
        .values({ key, sealed, sizeBytes: Buffer.byteLength(sealed, 'utf8') })
        .onConflictDoNothing({ target: storedFiles.key })
        .returning({ key: storedFiles.key });
      return inserted.length > 0;
    },
    async get(key) {
      const [row] = await q()
        .select({ sealed: storedFiles.sealed })
        .from(storedFiles)
        .where(eq(storedFiles.key, key));
      return row?.sealed;
    },
    async existing(keys) {
      if (keys.length === 0) return new Set();
      const rows = await q()
        .select({ key: storedFiles.key })
        .from(storedFiles)
        .where(inArray(storedFiles.key, keys));
      return new Set(rows.map((row) => row.key));
    },
    async remove(key) {
      await q().delete(storedFiles).where(eq(storedFiles.key, key));
    },
    async list(prefix) {
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await q()
        .select({ key: storedFiles.key })
        .from(storedFiles)
        .where(like(storedFiles.key, pattern))
        .orderBy(storedFiles.key);
      return rows.map((row) => row.key);
    },
  };
}
