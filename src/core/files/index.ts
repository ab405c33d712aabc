import type { Config } from '../config/config.ts';
import type { Database } from '../db/index.ts';
import { databaseFileStore } from './database-file-store.ts';
import type { FileStore } from './file-store.ts';

export { databaseFileStore } from './database-file-store.ts';
export type { FileStore } from './file-store.ts';

/**
 * The configured store: the object store when ATTEST_S3_BUCKET is set, else the database. The AWS SDK
 * is loaded only then, so an install without a bucket doesn't pay for it at start.
 */
export async function createFileStore(
  config: Pick<Config, 'objectStore'>,
  database: Database,
): Promise<FileStore> {
  if (!config.objectStore) return databaseFileStore(database);
  const { s3FileStore } = await import('./s3-file-store.ts');
  return s3FileStore(config.objectStore);
}
