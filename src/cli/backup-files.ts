import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config/config.ts';
import { KEY_FILE_NAME } from '../core/crypto/index.ts';

/** Backups hold every secret the database holds: readable by their owner only. */
export const BACKUP_FILE_MODE = 0o600;

/** `file` plus a suffix unique to this process, in the same folder so a rename is atomic. */
export function partialPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
}

/**
 * Writes `data` so that `file` is either the old content or all of the new, never a torn mix:
 * a temporary file beside it, fsync, rename over, fsync of the folder. Mode 0600.
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const partial = partialPathFor(file);
  const fd = openSync(partial, 'wx', BACKUP_FILE_MODE);
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  commitPartial(partial, file);
}

/** Moves a finished partial file into place and makes the rename durable. */
export function commitPartial(partial: string, file: string): void {
  renameSync(partial, file);
  const dir = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export function formatBytes(sizeBytes: number): string {
  if (sizeBytes < 1024) return `${sizeBytes} B`;
  if (sizeBytes < 1024 ** 2) return `${(sizeBytes / 1024).toFixed(1)} KiB`;
  if (sizeBytes < 1024 ** 3) return `${(sizeBytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(sizeBytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Where the data-encryption keys live, which no database backup contains. */
export function describeKeyLocation(config: Config): string {
  const current = config.secretKey ? 'the ATTEST_SECRET_KEY value' : path.join(config.dataDir, KEY_FILE_NAME);
  return config.previousSecretKeys.length > 0 ? `${current} and ATTEST_PREVIOUS_SECRET_KEYS` : current;
}

/** A file-name-safe UTC time: 2025-01-02T03-04-05-678Z. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
