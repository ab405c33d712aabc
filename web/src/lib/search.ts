/** The text typed in a search box, as matched against: trimmed and lower-cased. */
export function needleOf(search: string): string {
  return search.trim().toLowerCase();
}

/** Whether any of `values` contains `needle` (from needleOf), ignoring case; true when there is no needle. */
export function matches(needle: string, ...values: string[]): boolean {
  return !needle || values.some((value) => value.toLowerCase().includes(needle));
}
