import { isLocale, type Locale, locales } from './locales.ts';

type LanguageRange = { tag: string; quality: number; position: number };

// Headers are attacker-controlled; real browsers send a handful of ranges.
const MAX_RANGES = 50;
const RANGE_PATTERN = /^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/;
const QUALITY_PATTERN = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

/**
 * Picks the supported locale the client prefers, from an Accept-Language header (RFC 9110).
 *
 * Ranges match on their primary subtag (`es-MX` → `es`), are ranked by q-value and then by
 * position; `q=0` excludes a locale and `*` stands for every locale not listed. Malformed
 * ranges are skipped. Returns `fallback` when the header is absent or nothing matches.
 */
export function negotiateLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (!acceptLanguage) return fallback;
  const ranges = parseAcceptLanguage(acceptLanguage);
  const wildcard = ranges.find((range) => range.tag === '*');

  let best: { locale: Locale; quality: number; position: number } | undefined;
  for (const locale of candidatesPreferring(fallback)) {
    const explicit = ranges.filter((range) => primarySubtag(range.tag) === locale);
    const match = explicit.length > 0 ? highestQuality(explicit) : wildcard;
    if (match === undefined || match.quality === 0) continue;
    // Strictly better only, so ties keep the earlier candidate (the fallback comes first).
    if (
      best === undefined ||
      match.quality > best.quality ||
      (match.quality === best.quality && match.position < best.position)
    ) {
      best = { locale, quality: match.quality, position: match.position };
    }
  }
  return best?.locale ?? fallback;
}

function parseAcceptLanguage(header: string): LanguageRange[] {
  const ranges: LanguageRange[] = [];
  for (const [position, part] of header.split(',').slice(0, MAX_RANGES).entries()) {
    // Whitespace is only legal around `;`, but some clients also put it around `=`.
    const [tag = '', ...params] = part.split(';').map((piece) => piece.replace(/\s+/g, '').toLowerCase());
    if (!RANGE_PATTERN.test(tag)) continue;
    const qualityParam = params.find((param) => param.startsWith('q='));
    if (qualityParam !== undefined && !QUALITY_PATTERN.test(qualityParam)) continue;
    const quality = qualityParam === undefined ? 1 : Number(qualityParam.slice(2));
    ranges.push({ tag, quality, position });
  }
  return ranges;
}

function primarySubtag(tag: string): string {
  const primary = tag.split('-')[0] ?? '';
  return isLocale(primary) ? primary : '';
}

function highestQuality(ranges: LanguageRange[]): LanguageRange | undefined {
  return ranges.reduce<LanguageRange | undefined>(
    (best, range) => (best === undefined || range.quality > best.quality ? range : best),
    undefined,
  );
}

function candidatesPreferring(fallback: Locale): Locale[] {
  return [fallback, ...locales.filter((locale) => locale !== fallback)];
}
