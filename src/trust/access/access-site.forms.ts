import { z } from 'zod';
import { Email, Id, Name } from '../../core/http/fields.ts';
import { type Locale, translate } from '../../core/i18n/index.ts';
import type { FieldErrors } from './access-site.pages.ts';

export type { FormBody } from '../../core/http/html-forms.ts';
export { formOf, registerFormParser, valuesOf } from '../../core/http/html-forms.ts';

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
