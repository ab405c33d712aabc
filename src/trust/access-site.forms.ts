import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Email, Id, Name } from '../core/http/fields.ts';
import { type Locale, translate } from '../core/i18n/index.ts';
import type { FieldErrors } from './access-site.pages.ts';

/** An HTML form's fields; a name sent more than once (checkboxes) becomes a list. */
export type FormBody = Record<string, string | string[]>;

const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Accepts `application/x-www-form-urlencoded` in this plugin only: the public pages post plain HTML forms
 * (no JavaScript). Bodies over 64 KiB are refused by Fastify with 413.
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

/** One value per field for re-showing the form (lists keep their first value), cut to a sane length. */
export function valuesOf(form: FormBody): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).map(([name, value]) => [
      name,
      (Array.isArray(value) ? (value[0] ?? '') : value).slice(0, 2000),
    ]),
  );
}

const single = (schema: z.ZodType) =>
  z.preprocess((value) => (Array.isArray(value) ? value[0] : value), schema);

export const RequestForm = z.object({
  name: single(Name),
  email: single(Email),
  company: single(Name),
  reason: single(z.string().trim().min(1).max(2000)),
});

export const SignInForm = z.object({ email: single(Email) });

export const NdaForm = z.object({
  templateId: single(Id),
  sha256: single(z.string().regex(/^[0-9a-f]{64}$/)),
  fullName: single(Name),
  agree: single(z.literal('yes')),
});

export const SubscribeForm = z.object({
  email: single(Email),
  topics: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.enum(['subprocessors', 'updates']))
      .min(1)
      .max(2),
  ),
});

/**
 * Each invalid field's message in the visitor's language (`trust-access:errors.<field>`), keyed by field
 * name, in form order. Fields the visitor can't fix (hidden ones) map to a generic message.
 */
export function fieldErrors(locale: Locale, error: z.ZodError, fields: readonly string[]): FieldErrors {
  const invalid = new Set(error.issues.map((issue) => String(issue.path[0] ?? '')));
  const errors: FieldErrors = {};
  for (const field of fields) {
    if (invalid.has(field)) errors[field] = translate(locale, `trust-access:errors.${field}`);
  }
  if (Object.keys(errors).length === 0) errors.form = translate(locale, 'trust-access:errors.form');
  return errors;
}
