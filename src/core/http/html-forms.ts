import type { FastifyInstance } from 'fastify';

/** An HTML form's fields; a name sent more than once (checkboxes) becomes a list. */
export type FormBody = Record<string, string | string[]>;

const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Accepts `application/x-www-form-urlencoded` in the calling plugin only: public pages post plain HTML
 * forms (no JavaScript). Bodies over 64 KiB are refused by Fastify with 413.
 */
export function registerFormParser(app: FastifyInstance): void {
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

/** The form's fields whatever was posted (JSON, text, nothing): unknown shapes become an empty form. */
export function formOf(body: unknown): FormBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as FormBody) : {};
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
