import type { FastifyInstance } from 'fastify';

/** An HTML form's fields; a name sent more than once (checkboxes) becomes a list. */
export type FormBody = Record<string, string | string[]>;

const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Accepts `application/x-www-form-urlencoded` in the calling plugin only: public pages post plain HTML
 * forms (no JavaScript). Bodies over 64 KiB are refused by Fastify with 413. The JSON and text parsers the
 * plugin inherits are removed, so a form endpoint takes form encodings only (multipart, where the plugin
 * registers it) and anything else is refused with 415 before a handler sees a value that is not text.
 */
export function registerFormParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const fields: FormBody = {};
      for (const [name, value] of new URLSearchParams(body as string)) {
        const previous = fields[name];
        if (previous === undefined) fields[name] = value;
        else fields[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
      }
      done(null, fields);
    },
  );
}

/** The form's text fields (a list for a repeated name); anything that is not text is left out. */
export function formOf(body: unknown): FormBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const fields: FormBody = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value) && value.every((one) => typeof one === 'string')) fields[name] = value;
  }
  return fields;
}

/** One value per field for showing the form again (a list keeps its first value), cut to `maxLength`. */
export function valuesOf(form: FormBody, maxLength = 2000): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).map(([name, value]) => [
      name,
      (Array.isArray(value) ? (value[0] ?? '') : value).slice(0, maxLength),
    ]),
  );
}
