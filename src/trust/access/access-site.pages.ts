import { type Locale, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath, renderPage } from '../site/layout.ts';

/** Who the pages belong to: the published profile (header, title suffix), hreflang origin. */
export type PageFrame = {
  locale: Locale;
  profile: { companyName: string; logoDataUrl?: string };
  defaultLocale: Locale;
  publicUrl: string;
};

/** Escaped text of the `trust-access` catalog, ready for HTML. */
export function accessText(locale: Locale) {
  return (key: string, vars?: Record<string, unknown>): string =>
    escapeHtml(translate(locale, `trust-access:${key}`, vars));
}

/**
 * A visitor page. Personal pages carry secrets in their path, so the language switcher and hreflang get
 * a neutral path (`path`), and every one of them is noindex.
 */
export function accessPage(frame: PageFrame, input: { path: string; title: string; body: string }): string {
  return renderPage({
    locale: frame.locale,
    path: input.path,
    title: input.title,
    body: input.body,
    profile: frame.profile,
    defaultLocale: frame.defaultLocale,
    publicUrl: frame.publicUrl,
    noindex: true,
  });
}

/** A page that says one thing: a heading, paragraphs (plain text) and optional links. */
export function messagePage(
  frame: PageFrame,
  input: {
    path?: string;
    key: string;
    vars?: Record<string, unknown>;
    links?: { href: string; label: string }[];
  },
): string {
  const t = accessText(frame.locale);
  const paragraphs = translate(frame.locale, `trust-access:${input.key}.body`, input.vars)
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('\n');
  const links = (input.links ?? [])
    .map((link) => `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`)
    .join('\n');
  return accessPage(frame, {
    path: input.path ?? '/access',
    title: translate(frame.locale, `trust-access:${input.key}.title`, input.vars),
    body: `<h1>${t(`${input.key}.title`, input.vars)}</h1>\n${paragraphs}\n${links}`,
  });
}

/** The answer to a link that is unknown, used, expired or revoked: always the same, with a way forward. */
export function invalidLinkPage(frame: PageFrame): string {
  return messagePage(frame, {
    key: 'invalidLink',
    links: [
      {
        href: localePath(frame.locale, '/access'),
        label: translate(frame.locale, 'trust-access:invalidLink.newLink'),
      },
      {
        href: localePath(frame.locale, '/'),
        label: translate(frame.locale, 'trust-access:invalidLink.home'),
      },
    ],
  });
}

export type FieldErrors = Partial<Record<string, string>>;

/** The list of problems at the top of a form, each linking to its field (WCAG 3.3.1). */
export function errorSummary(locale: Locale, errors: FieldErrors): string {
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (entries.length === 0) return '';
  const t = accessText(locale);
  const items = entries
    .map(([field, message]) => `<li><a href="#field-${escapeHtml(field)}">${escapeHtml(message)}</a></li>`)
    .join('');
  return `<div class="notice" role="alert" tabindex="-1" id="errors"><p><strong>${t('form.errorSummary')}</strong></p><ul>${items}</ul></div>`;
}

type InputOptions = {
  name: string;
  label: string;
  value?: string;
  error?: string;
  type?: 'text' | 'email' | 'textarea';
  autocomplete?: string;
  maxLength: number;
};

/** A labelled input; an error is shown next to it and tied to it with aria-describedby. */
export function inputField(options: InputOptions): string {
  const id = `field-${options.name}`;
  const errorId = `${id}-error`;
  const described = options.error ? ` aria-invalid="true" aria-describedby="${errorId}"` : '';
  const common = `id="${id}" name="${escapeHtml(options.name)}" required maxlength="${options.maxLength}"${described}`;
  const control =
    options.type === 'textarea'
      ? `<textarea ${common}>${escapeHtml(options.value ?? '')}</textarea>`
      : `<input ${common} type="${options.type ?? 'text'}"${options.autocomplete ? ` autocomplete="${options.autocomplete}"` : ''} value="${escapeHtml(options.value ?? '')}">`;
  const error = options.error
    ? `<strong class="field-error" id="${errorId}">${escapeHtml(options.error)}</strong>`
    : '';
  // The same field frame as the researcher forms (`.field`): label, error, then the full-width control.
  return `<div class="field"><label for="${id}">${escapeHtml(options.label)}</label>\n${error}${control}</div>`;
}
