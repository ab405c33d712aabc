import { type Locale, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';

/**
 * Accessible form controls of the researcher pages (report form, reply, credit, portal link): every
 * control has a label, hints and errors are tied to it with aria-describedby, an invalid control says
 * so (aria-invalid), and the error summary at the top links to each field (WCAG 3.3.1). Everything
 * is escaped here; labels and hints come in as plain text.
 */

export type FieldErrors = Partial<Record<string, string>>;

/** Escaped text of the `vdp-intake` catalog, ready for HTML. */
export function vdpText(locale: Locale) {
  return (key: string, vars?: Record<string, unknown>): string =>
    escapeHtml(translate(locale, `vdp-intake:${key}`, vars));
}

const idOf = (name: string) => `field-${name}`;

/** The list of problems at the top of a form, each linking to its field. Empty without errors. */
export function errorSummary(locale: Locale, errors: FieldErrors): string {
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (entries.length === 0) return '';
  const items = entries
    .map(([field, message]) => `<li><a href="#${idOf(escapeHtml(field))}">${escapeHtml(message)}</a></li>`)
    .join('');
  return `<div class="notice" role="alert" tabindex="-1" id="errors"><h2>${vdpText(locale)('form.errorSummary')}</h2><ul>${items}</ul></div>`;
}

type Common = { name: string; label: string; hint?: string; error?: string; required?: boolean };

/** The label, error and hint around a control, and the attributes that tie them to it. */
function frame(options: Common): { before: string; attributes: string } {
  const id = idOf(options.name);
  const hint = options.hint ? `<span class="meta" id="${id}-hint">${escapeHtml(options.hint)}</span>` : '';
  const error = options.error
    ? `<strong class="field-error" id="${id}-error">${escapeHtml(options.error)}</strong>`
    : '';
  const described = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const attributes = [
    `id="${id}"`,
    `name="${escapeHtml(options.name)}"`,
    options.required ? 'required aria-required="true"' : '',
    options.error ? 'aria-invalid="true"' : '',
    described ? `aria-describedby="${described}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { before: `<label for="${id}">${escapeHtml(options.label)}</label>\n${hint}${error}`, attributes };
}

export function textInput(
  options: Common & {
    value?: string;
    type?: 'text' | 'email' | 'url';
    autocomplete?: string;
    maxLength: number;
  },
): string {
  const { before, attributes } = frame(options);
  const autocomplete = options.autocomplete ? ` autocomplete="${options.autocomplete}"` : '';
  return `<div class="field">${before}<input ${attributes} type="${options.type ?? 'text'}"${autocomplete} maxlength="${options.maxLength}" value="${escapeHtml(options.value ?? '')}"></div>`;
}

export function textArea(options: Common & { value?: string; maxLength: number; rows?: number }): string {
  const { before, attributes } = frame(options);
  return `<div class="field">${before}<textarea ${attributes} rows="${options.rows ?? 6}" maxlength="${options.maxLength}">${escapeHtml(options.value ?? '')}</textarea></div>`;
}

export type SelectOption = { value: string; label: string };

export function selectField(
  options: Common & { value?: string; groups: { label?: string; options: SelectOption[] }[] },
): string {
  const { before, attributes } = frame(options);
  const option = (item: SelectOption) =>
    `<option value="${escapeHtml(item.value)}"${item.value === (options.value ?? '') ? ' selected' : ''}>${escapeHtml(item.label)}</option>`;
  const groups = options.groups
    .map((group) =>
      group.label
        ? `<optgroup label="${escapeHtml(group.label)}">${group.options.map(option).join('')}</optgroup>`
        : group.options.map(option).join(''),
    )
    .join('');
  return `<div class="field">${before}<select ${attributes}>${groups}</select></div>`;
}

export function fileInput(options: Common & { accept: string[] }): string {
  const { before, attributes } = frame(options);
  return `<div class="field">${before}<input ${attributes} type="file" multiple accept="${escapeHtml(options.accept.join(','))}"></div>`;
}

/** A checkbox whose label may hold trusted HTML (a link); `labelHtml` must already be escaped. */
export function checkbox(options: {
  name: string;
  labelHtml: string;
  checked: boolean;
  error?: string;
  required?: boolean;
}): string {
  const id = idOf(options.name);
  const error = options.error
    ? `<strong class="field-error" id="${id}-error">${escapeHtml(options.error)}</strong>`
    : '';
  const invalid = options.error ? ` aria-invalid="true" aria-describedby="${id}-error"` : '';
  const required = options.required ? ' required aria-required="true"' : '';
  return `<div class="field">${error}<label class="check" for="${id}"><input id="${id}" type="checkbox" name="${escapeHtml(options.name)}" value="yes"${options.checked ? ' checked' : ''}${required}${invalid}> <span>${options.labelHtml}</span></label></div>`;
}

/** Radio buttons in a fieldset whose legend names the choice; the first button carries the field's id. */
export function radioGroup(options: {
  name: string;
  legend: string;
  options: SelectOption[];
  value?: string;
  hint?: string;
  error?: string;
}): string {
  const id = idOf(options.name);
  const hint = options.hint ? `<p class="meta" id="${id}-hint">${escapeHtml(options.hint)}</p>` : '';
  const error = options.error
    ? `<strong class="field-error" id="${id}-error">${escapeHtml(options.error)}</strong>`
    : '';
  const described = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const radios = options.options
    .map((item, index) => {
      const radioId = index === 0 ? id : `${id}-${escapeHtml(item.value)}`;
      const checked = item.value === options.value ? ' checked' : '';
      return `<label class="check" for="${radioId}"><input id="${radioId}" type="radio" name="${escapeHtml(options.name)}" value="${escapeHtml(item.value)}"${checked}> <span>${escapeHtml(item.label)}</span></label>`;
    })
    .join('\n');
  const aria = described ? ` aria-describedby="${described}"` : '';
  return `<fieldset${aria}><legend>${escapeHtml(options.legend)}</legend>\n${hint}${error}${radios}</fieldset>`;
}

/** Plain text of a researcher or the team as paragraphs (blank lines), line breaks kept, escaped. */
export function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `<p>${escapeHtml(part).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}
