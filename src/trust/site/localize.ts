import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import type { LocalizedText } from '../tables.ts';

/** A piece of admin-written text chosen for a page, and the language it is really in. */
export type Fragment = { text: string; lang: Locale; isFallback: boolean };

/**
 * The text for `locale`, else the site's default locale, else any locale that has it (en, es, fr).
 * Undefined when the admin wrote it in no language.
 */
export function pick(
  text: LocalizedText | undefined,
  locale: Locale,
  defaultLocale: Locale,
): Fragment | undefined {
  const own = text?.[locale]?.trim();
  if (own) return { text: own, lang: locale, isFallback: false };
  for (const candidate of [defaultLocale, ...locales]) {
    const value = text?.[candidate]?.trim();
    if (value) return { text: value, lang: candidate, isFallback: true };
  }
  return undefined;
}

/** "(in English)": written in the fallback's own language, so it is read with the text it announces. */
function marker(lang: Locale): string {
  return `<span class="fallback" lang="${lang}">${escapeHtml(translate(lang, 'trust:fallback.marker'))}</span>`;
}

/** Escaped inline text; a fallback carries its `lang` and the visible marker. */
export function inline(fragment: Fragment | undefined): string {
  if (!fragment) return '';
  const text = escapeHtml(fragment.text);
  return fragment.isFallback ? `<span lang="${fragment.lang}">${text}</span> ${marker(fragment.lang)}` : text;
}

/** Paragraphs (separated by blank lines; single newlines kept as line breaks), escaped. */
export function block(fragment: Fragment | undefined): string {
  if (!fragment) return '';
  const paragraphs = fragment.text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  if (!fragment.isFallback) return paragraphs;
  return `<div lang="${fragment.lang}">\n<p>${marker(fragment.lang)}</p>\n${paragraphs}\n</div>`;
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A calendar date (YYYY-MM-DD) for people, in a `<time>` element: "March 5, 2025", "5 de marzo de 2025". */
export function formatDate(locale: Locale, isoDate: string): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(locale, format);
  }
  return `<time datetime="${escapeHtml(isoDate)}">${escapeHtml(format.format(new Date(`${isoDate}T00:00:00Z`)))}</time>`;
}

/** Today's date in UTC, YYYY-MM-DD: what validity windows are compared with. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A translator for one page's locale, returning escaped text ready for HTML. */
export function translator(locale: Locale) {
  return (key: string, vars?: Record<string, unknown>): string =>
    escapeHtml(translate(locale, `trust:${key}`, vars));
}
