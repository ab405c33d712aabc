/**
 * `Content-Disposition` for a file name in any script (RFC 6266 §4.3): an ASCII `filename` for old
 * clients (non-ASCII and quote-breaking characters replaced by `_`), and `filename*` with the exact
 * name, UTF-8 and percent-encoded (RFC 8187).
 */
export function contentDisposition(type: 'attachment' | 'inline', fileName: string): string {
  const name = fileName.replace(/[\p{Cc}\p{Cf}]/gu, '').trim() || 'document';
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** RFC 8187 §3.2.1 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`,
  );
}

/** Headers every file answer carries: never cached, never sniffed, never framed or scripted. */
export const FILE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
} as const;
