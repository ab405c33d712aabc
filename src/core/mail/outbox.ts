import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decrypt, encrypt, isSealedWithCurrentKey, type Keyring } from '../crypto/index.ts';

/** A message kept in the outbox, as stored in its `.json` sidecar next to the `.eml`. */
export type OutboxItem = {
  id: string;
  messageId: string;
  to: string;
  subject: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  text: string;
};

export type OutboxPage = { items: OutboxItem[]; nextCursor: string | null };

// `<ISO time with : and . replaced>-<16 hex>`: sorts chronologically as a plain string, and
// admits no `/`, `\` or `..`, so an id can be joined to the outbox path safely.
const ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{16}$/;
const SIDECAR_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{16})\.json$/;
const MAX_PAGE_SIZE = 1000;

/** Whether `id` is a well-formed outbox id (use it to validate ids from URLs). */
export function isOutboxId(id: string): boolean {
  return ID_PATTERN.test(id);
}

let lastIdMillis = 0;

/**
 * A new, unique id such as `2025-03-05T14-30-00-123Z-9f86d081884c7d65`. Within a process the
 * timestamps strictly increase (bumped by 1 ms on collision or clock step back), so ids sort
 * in creation order even for messages sent in the same millisecond.
 */
export function newOutboxId(nowMillis: number = Date.now()): string {
  lastIdMillis = Math.max(nowMillis, lastIdMillis + 1);
  const time = new Date(lastIdMillis).toISOString().replace(/[:.]/g, '-');
  return `${time}-${randomBytes(8).toString('hex')}`;
}

type OutboxPart = 'eml' | 'json';

// Messages carry one-time links and addresses, so both files are sealed with the data key; the
// associated data names the message and the part, so files can't be swapped between messages.
const associatedData = (id: string, part: OutboxPart) => `core.mail.outbox:${id}:${part}`;

function seal(keyring: Keyring, id: string, part: OutboxPart, data: string | Buffer): string {
  return `${encrypt(keyring, data, associatedData(id, part))}\n`;
}

function open(keyring: Keyring, id: string, part: OutboxPart, stored: Buffer): Buffer {
  return decrypt(keyring, stored.toString('utf8').trim(), associatedData(id, part));
}

/** Whether a stored file is a sealed value (outboxes written before sealing hold plain files). */
function isSealedFile(stored: Buffer): boolean {
  return stored.subarray(0, 3).toString('latin1') === 'v1.';
}

/**
 * Stores a message as `<id>.eml` (the raw RFC 5322 message) plus `<id>.json` (the item), each
 * sealed with the keyring's current key. Each file is written to a temporary name and renamed,
 * and the sidecar goes last, so readers never see a partial file and every listed item has its
 * `.eml`. Creates `outboxDir` if needed.
 */
export async function writeOutboxItem(
  outboxDir: string,
  keyring: Keyring,
  item: OutboxItem,
  raw: Buffer,
): Promise<void> {
  if (!isOutboxId(item.id)) throw new RangeError('invalid outbox id');
  await mkdir(outboxDir, { recursive: true, mode: 0o700 });
  await writeAtomically(join(outboxDir, `${item.id}.eml`), seal(keyring, item.id, 'eml', raw));
  await writeAtomically(
    join(outboxDir, `${item.id}.json`),
    seal(keyring, item.id, 'json', JSON.stringify(item)),
  );
}

/**
 * Seals the outbox files that are not sealed with the current key: plain files from before outbox
 * sealing (run at start) and files under a retired key (`attest keys reseal`). Returns how many
 * messages were rewritten.
 */
export async function resealOutbox(outboxDir: string, keyring: Keyring): Promise<{ resealed: number }> {
  let resealed = 0;
  for (const id of await listIds(outboxDir)) {
    let changed = false;
    for (const part of ['eml', 'json'] as const) {
      const path = join(outboxDir, `${id}.${part}`);
      const stored = await readIfExists(path);
      if (stored === undefined) continue;
      if (isSealedFile(stored) && isSealedWithCurrentKey(keyring, stored.toString('utf8').trim())) continue;
      const plain = isSealedFile(stored) ? open(keyring, id, part, stored) : stored;
      await writeAtomically(path, seal(keyring, id, part, plain));
      changed = true;
    }
    if (changed) resealed += 1;
  }
  return { resealed };
}

/**
 * Lists stored messages, newest first.
 *
 * @param limit page size, an integer from 1 to 1000 (RangeError otherwise).
 * @param cursor the `nextCursor` of the previous page; items strictly older are returned.
 *   A malformed cursor is a RangeError.
 * @returns `nextCursor` is null on the last page. A missing outbox directory is an empty list.
 */
export async function listOutbox(
  outboxDir: string,
  keyring: Keyring,
  options: { limit: number; cursor?: string },
): Promise<OutboxPage> {
  const { limit, cursor } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (cursor !== undefined && !isOutboxId(cursor)) throw new RangeError('invalid outbox cursor');

  const ids = (await listIds(outboxDir))
    .filter((id) => cursor === undefined || id < cursor)
    .sort()
    .reverse();
  const pageIds = ids.slice(0, limit);
  const items = (await Promise.all(pageIds.map((id) => readSidecar(outboxDir, keyring, id)))).filter(
    (item): item is OutboxItem => item !== undefined,
  );
  return { items, nextCursor: ids.length > limit ? (pageIds.at(-1) ?? null) : null };
}

/**
 * One stored message, or undefined if there is none with that id.
 * Rejects with RangeError for a malformed id (e.g. `../x`) before touching the file system.
 */
export async function readOutboxItem(
  outboxDir: string,
  keyring: Keyring,
  id: string,
): Promise<OutboxItem | undefined> {
  if (!isOutboxId(id)) throw new RangeError('invalid outbox id');
  return readSidecar(outboxDir, keyring, id);
}

/**
 * The raw `.eml` of a stored message (for download or inspection), or undefined if missing.
 * Rejects with RangeError for a malformed id.
 */
export async function readOutboxRaw(
  outboxDir: string,
  keyring: Keyring,
  id: string,
): Promise<Buffer | undefined> {
  if (!isOutboxId(id)) throw new RangeError('invalid outbox id');
  const stored = await readIfExists(join(outboxDir, `${id}.eml`));
  if (stored === undefined) return undefined;
  return isSealedFile(stored) ? open(keyring, id, 'eml', stored) : stored;
}

async function listIds(outboxDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outboxDir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
  return names.flatMap((name) => SIDECAR_PATTERN.exec(name)?.[1] ?? []);
}

async function readSidecar(outboxDir: string, keyring: Keyring, id: string): Promise<OutboxItem | undefined> {
  const stored = await readIfExists(join(outboxDir, `${id}.json`));
  if (stored === undefined) return undefined;
  // A plain sidecar is one written before sealing that the start-up pass has not reached yet.
  const json = isSealedFile(stored) ? open(keyring, id, 'json', stored) : stored;
  return JSON.parse(json.toString('utf8')) as OutboxItem;
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    // Missing, or deleted between listing and reading (someone cleaning the outbox).
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, path);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
