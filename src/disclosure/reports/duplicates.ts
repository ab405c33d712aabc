/**
 * Duplicate candidates: reports on the same asset whose text is alike. Similarity is the Jaccard
 * index of word trigrams ("shingles") of title and description, a cheap measure that survives
 * reordered paragraphs and small edits. Candidates are only suggested; a person decides.
 */

export const DUPLICATE_THRESHOLD = 0.3;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
}

export function shingles(text: string, size = 3): Set<string> {
  const list = words(text);
  if (list.length < size) return new Set(list.length > 0 ? [list.join(' ')] : []);
  const result = new Set<string>();
  for (let i = 0; i + size <= list.length; i += 1) result.add(list.slice(i, i + size).join(' '));
  return result;
}

export function similarity(a: string, b: string): number {
  const left = shingles(a);
  const right = shingles(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/** Ids of the candidates at least as similar as the threshold, most similar first (at most `limit`). */
export function pickDuplicates(
  text: string,
  candidates: { id: string; text: string }[],
  limit = 5,
): string[] {
  return candidates
    .map((candidate) => ({ id: candidate.id, score: similarity(text, candidate.text) }))
    .filter((scored) => scored.score >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((scored) => scored.id);
}
