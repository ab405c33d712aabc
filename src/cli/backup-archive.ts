import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KEY_FILE_NAME } from '../core/crypto/index.ts';
import { CliError } from './cli-error.ts';

/**
 * One backup file holds the database and every file Attest keeps in its data folder (trust-center
 * documents, the mail outbox, and whatever a later module writes there): a gzip tarball with
 *
 *   attest-backup.json   the manifest: format, version, and the size and SHA-256 of every other entry
 *   database/…           the database (PGlite's data-folder dump, or pg_dump's custom format)
 *   data/<path>          each file of the data folder, at its path inside it
 *
 * Restore extracts into a new folder, checks every entry against the manifest and refuses on any
 * difference, before anything in place is replaced. The encryption key is never in it (kept apart).
 */
export const MANIFEST_NAME = 'attest-backup.json';
export const DATABASE_FOLDER = 'database';
export const DATA_FOLDER = 'data';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const EntryPath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (value) => path.posix.normalize(value) === value && !value.startsWith('/') && !value.includes('..'),
    {
      error: 'not a relative path inside the backup',
    },
  );
const Entry = z.strictObject({ path: EntryPath, sizeBytes: z.number().int().min(0), sha256: Sha256 });

export const Manifest = z.strictObject({
  format: z.literal('attest-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  database: Entry.extend({ method: z.enum(['pglite', 'pg_dump']) }),
  files: z.array(Entry),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestEntry = z.infer<typeof Entry>;

/** tar is loaded by backup and restore only, not by every `attest` command at start. */
function loadTar() {
  return import('tar');
}

/**
 * Top-level names in the data folder a backup leaves out: the database folder (dumped consistently
 * instead), the key (kept apart on purpose), folders kept by an earlier restore, and work folders.
 */
function isLeftOut(name: string): boolean {
  return (
    name === 'pglite' ||
    name === KEY_FILE_NAME ||
    name.includes('.bak-') ||
    name.startsWith('pglite.restore-') ||
    name.startsWith('.backup-') ||
    name.startsWith('.restore-')
  );
}

/** Half-written files (atomic writers' temporaries): never part of a backup. */
function isTemporary(name: string): boolean {
  return /\.tmp-[0-9a-f]+$/.test(name) || /^\..+\.partial$/.test(name);
}

/** Every regular file under the data folder that belongs in a backup, as paths relative to it (POSIX). */
export function listDataFiles(dataDir: string, skip: (absolute: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (folder: string, relative: string) => {
    for (const name of readdirSync(folder).sort()) {
      if (relative === '' && isLeftOut(name)) continue;
      if (isTemporary(name)) continue;
      const absolute = path.join(folder, name);
      const inside = relative === '' ? name : `${relative}/${name}`;
      if (skip(absolute)) continue;
      const stat = lstatSync(absolute);
      if (stat.isDirectory()) walk(absolute, inside);
      else if (stat.isFile()) found.push(inside);
    }
  };
  if (existsSync(dataDir)) walk(dataDir, '');
  return found;
}

export function sha256File(file: string): { sha256: string; sizeBytes: number } {
  const bytes = readFileSync(file);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
}

/**
 * Puts the data folder's files into `staging/data/` (hard links where the file system allows, copies
 * otherwise) and returns their manifest entries. Files are written once and replaced by rename, so a
 * link is a stable snapshot of each.
 */
export function stageDataFiles(dataDir: string, staging: string, skip: (absolute: string) => boolean) {
  const entries: ManifestEntry[] = [];
  for (const relative of listDataFiles(dataDir, skip)) {
    const source = path.join(dataDir, ...relative.split('/'));
    const target = path.join(staging, DATA_FOLDER, ...relative.split('/'));
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    try {
      linkSync(source, target);
    } catch {
      copyFileSync(source, target);
    }
    entries.push({ path: `${DATA_FOLDER}/${relative}`, ...sha256File(target) });
  }
  return entries;
}

/** Writes the staged folder as a gzip tarball at `file` (created by the caller with mode 0600). */
export async function packStaging(staging: string, file: string): Promise<void> {
  const tar = await loadTar();
  await tar.create({ gzip: true, file, cwd: staging, portable: true }, readdirSync(staging).sort());
}

/**
 * Extracts a backup into `folder` (which must not exist). Only plain files and folders are taken;
 * tar's own guards keep every entry inside the folder. Throws CliError on a damaged archive.
 */
export async function extractBackup(file: string, folder: string): Promise<void> {
  mkdirSync(folder, { recursive: false, mode: 0o700 });
  const refused: string[] = [];
  const tar = await loadTar();
  try {
    await tar.extract({
      file,
      cwd: folder,
      strict: true,
      preservePaths: false,
      filter: (entryPath, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        if (type === 'File' || type === 'OldFile' || type === 'Directory') return true;
        refused.push(entryPath);
        return false;
      },
    });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw new CliError(
      `could not read ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  if (refused.length > 0) {
    rmSync(folder, { recursive: true, force: true });
    throw new CliError(`${file} holds entries that are not plain files (${refused.slice(0, 3).join(', ')})`);
  }
}

/** Every file under `folder`, as POSIX paths relative to it. */
function listAll(folder: string, relative = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(folder, relative))) {
    const inside = relative === '' ? name : `${relative}/${name}`;
    const stat = lstatSync(path.join(folder, inside));
    if (stat.isDirectory()) out.push(...listAll(folder, inside));
    else out.push(inside);
  }
  return out;
}

/**
 * Reads the manifest of an extracted backup and checks every entry: present, of the listed size and
 * SHA-256, and nothing present that the manifest does not list. Returns undefined for a backup
 * without a manifest (made by an earlier release: the database only). Throws CliError on a mismatch.
 */
export function verifyExtracted(folder: string, file: string): Manifest | undefined {
  const manifestPath = path.join(folder, MANIFEST_NAME);
  if (!existsSync(manifestPath)) return undefined;
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  } catch {
    throw new CliError(`${file} has a damaged or unknown manifest (${MANIFEST_NAME}); nothing was restored`);
  }
  const listed = [manifest.database, ...manifest.files];
  const problems: string[] = [];
  for (const entry of listed) {
    const absolute = path.join(folder, ...entry.path.split('/'));
    if (!existsSync(absolute)) {
      problems.push(`${entry.path} is missing`);
      continue;
    }
    const actual = sha256File(absolute);
    if (actual.sizeBytes !== entry.sizeBytes || actual.sha256 !== entry.sha256)
      problems.push(`${entry.path} does not match its checksum`);
  }
  const known = new Set([MANIFEST_NAME, ...listed.map((entry) => entry.path)]);
  for (const present of listAll(folder)) {
    if (!known.has(present)) problems.push(`${present} is not in the manifest`);
  }
  if (problems.length > 0) {
    throw new CliError(
      `${file} failed its integrity check, nothing was restored: ${problems.slice(0, 5).join('; ')}` +
        (problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''),
    );
  }
  return manifest;
}

/** Whether the tarball carries a manifest (a backup from before this format holds the database only). */
export async function hasManifest(file: string): Promise<boolean> {
  let found = false;
  const tar = await loadTar();
  try {
    await tar.list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (entry.path === MANIFEST_NAME || entry.path === `./${MANIFEST_NAME}`) found = true;
        entry.resume();
      },
    });
  } catch (error) {
    throw new CliError(
      `invalid --in: ${file} is not a backup made by \`attest backup\` (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      2,
    );
  }
  return found;
}
