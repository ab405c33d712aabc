import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../../core/context.ts';
import { objectKeyFor, STORAGE_FOLDER, STORAGE_KEY_PATTERN } from './document-storage.ts';

/** Where files already copied to the file store are moved, kept until the admin deletes them. */
export const MIGRATED_FOLDER = 'trust-files.migrated';

/**
 * Earlier versions kept document files in `<dataDir>/trust-files/`, which only the process on that disk
 * could read. At start each one is copied, as it is (already sealed), into the shared file store, read
 * back and compared, then moved to `trust-files.migrated/`: a crash half-way leaves the rest for the
 * next start (resumable), and a file already in the store is not written again (idempotent, also when
 * two processes share the folder and start together). Nothing is deleted.
 */
export async function migrateLegacyDocumentFiles(
  ctx: Pick<AppContext, 'config' | 'files'>,
): Promise<{ migrated: number; conflicts: number }> {
  const folder = path.join(ctx.config.dataDir, STORAGE_FOLDER);
  if (!existsSync(folder)) return { migrated: 0, conflicts: 0 };
  const moved = path.join(ctx.config.dataDir, MIGRATED_FOLDER);
  let migrated = 0;
  let conflicts = 0;
  for (const name of (await readdir(folder)).sort()) {
    // Half-written temporary files (`<key>.tmp-…`) never had a row pointing at them.
    if (!STORAGE_KEY_PATTERN.test(name)) continue;
    const key = objectKeyFor(name);
    const sealed = await readFile(path.join(folder, name), 'utf8');
    await ctx.files.putIfAbsent(key, sealed);
    if ((await ctx.files.get(key)) !== sealed) {
      // Another object holds this key: keep the file where it is for a person to look at.
      conflicts += 1;
      continue;
    }
    await mkdir(moved, { recursive: true, mode: 0o700 });
    await rename(path.join(folder, name), path.join(moved, name)).catch((error: NodeJS.ErrnoException) => {
      // Another process sharing the folder moved it first.
      if (error.code !== 'ENOENT') throw error;
    });
    migrated += 1;
  }
  await rmdir(folder).catch(() => undefined);
  return { migrated, conflicts };
}
