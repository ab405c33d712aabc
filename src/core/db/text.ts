/**
 * Text PostgreSQL refuses: `text` and `jsonb` cannot hold U+0000, and `jsonb` refuses a UTF-16
 * surrogate without its pair (JSON.stringify writes it as an escape). Mail and imports bring both;
 * they are replaced by U+FFFD (the replacement character) before anything reaches the database, so a
 * hostile message is stored as text a person can still read, never refused with 22P05 / 22021.
 */
const REFUSED = new RegExp(
  ['\\u0000', '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])', '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]'].join('|'),
  'g',
);

export const REPLACEMENT_CHARACTER = '\uFFFD';

/** The string with every character PostgreSQL refuses replaced by U+FFFD. */
export function databaseText(value: string): string {
  return value.replace(REFUSED, REPLACEMENT_CHARACTER);
}

/**
 * The same value with `databaseText` applied to every string in it, keys included (arrays and plain
 * objects, as parsed JSON holds them); other values are returned as they are.
 */
export function databaseSafe<T>(value: T): T {
  if (typeof value === 'string') return databaseText(value) as T;
  if (Array.isArray(value)) return value.map((item) => databaseSafe(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [databaseText(key), databaseSafe(item)]),
    ) as T;
  }
  return value;
}
