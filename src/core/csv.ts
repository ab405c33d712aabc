/**
 * CSV (RFC 4180): fields with a comma, quote, CR or LF are quoted and quotes doubled; lines end in CRLF.
 * Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR — OWASP "CSV
 * injection") gets a leading apostrophe, so "=HYPERLINK(…)" typed into a request form stays text.
 * Numbers are written as they are.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
