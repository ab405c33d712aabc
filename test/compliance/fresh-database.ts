import { type Database, migrateDatabase, openDatabase } from '../../src/core/db/index.ts';
import { createThrowawayDatabase } from '../helpers/database.ts';

export type Fresh = { database: Database; close(): Promise<void> };

/** A migrated, empty database: PGlite in memory, or a throw-away one on DATABASE_URL's server. */
export async function freshDatabase(): Promise<Fresh> {
  const throwaway = process.env.DATABASE_URL
    ? await createThrowawayDatabase(process.env.DATABASE_URL)
    : undefined;
  const database = await openDatabase({ databaseUrl: throwaway?.url, dataDir: 'memory://' });
  await migrateDatabase(database);
  return {
    database,
    close: async () => {
      await database.close();
      await throwaway?.drop();
    },
  };
}
