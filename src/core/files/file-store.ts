import type { Queryable } from '../db/index.ts';

/**
 * Where the files the product serves live, so that every Attest process reaches the same ones: the
 * database (default) or an S3-compatible object store (ATTEST_S3_BUCKET). Callers hand in text that is
 * already sealed with the data key (see trust/documents/document-storage.ts): neither store ever holds a
 * readable document. Keys are `<area>/<random id>`; a store never interprets them.
 */
export type FileStore = {
  readonly kind: 'database' | 's3';
  /** Writes (or replaces) one object, whole: a reader sees the old content or the new, never a part. */
  put(key: string, sealed: string): Promise<void>;
  /** Writes only if the key is free; says whether it wrote (start-up migration, restore). */
  putIfAbsent(key: string, sealed: string): Promise<boolean>;
  /** The content, or undefined when there is no such object. */
  get(key: string): Promise<string | undefined>;
  /** Which of these keys exist. */
  existing(keys: string[]): Promise<Set<string>>;
  /** Removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** Every key under a prefix (backups). */
  list(prefix: string): Promise<string[]>;
  /**
   * The same store reading through this transaction (database store only): on PGlite, one connection,
   * a query outside a running transaction would wait for it forever.
   */
  within(q: Queryable): FileStore;
};
