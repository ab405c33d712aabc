import type { z } from 'zod';
import { isMissing } from '../../core/http/field-errors.ts';
import { type FormBody, valuesOf as valuesOfForm } from '../../core/http/html-forms.ts';
import { hasTranslation, type Locale, translate } from '../../core/i18n/index.ts';

export { formOf, registerFormParser as registerUrlEncodedParser } from '../../core/http/html-forms.ts';

import type { FieldErrors } from './intake.fields.ts';
import { ReportBody } from './intake.schemas.ts';

/**
 * The report form's fields, mapped onto the API's body so the form and the API obey the same rules,
 * and their errors in the visitor's language (`vdp-intake:errors.<field>`), in form order.
 */
export const REPORT_FORM_FIELDS = [
  'asset',
  'category',
  'title',
  'description',
  'steps',
  'impact',
  'cvssVector',
  'attachments',
  'name',
  'email',
  'handle',
  'url',
  'creditPreference',
  'acceptPolicy',
] as const;

/** Report texts are long: by default the form shows back up to 25,000 characters of each. */
export function valuesOf(form: FormBody, maxLength = 25_000): Record<string, string> {
  return valuesOfForm(form, maxLength);
}

const optional = (value: string | undefined) => (value?.trim() ? value : undefined);

/** The API body the form's values stand for (validation comes after, by the API's own schema). */
export function reportBodyOf(values: Record<string, string>): Record<string, unknown> {
  const reporter = {
    name: optional(values.name),
    email: optional(values.email),
    handle: optional(values.handle),
    url: optional(values.url),
  };
  const hasIdentity = Object.values(reporter).some((value) => value !== undefined);
  return {
    asset: optional(values.asset),
    category: values.category ?? '',
    title: values.title ?? '',
    description: values.description ?? '',
    steps: values.steps ?? '',
    impact: values.impact ?? '',
    cvssVector: optional(values.cvssVector),
    reporter: hasIdentity ? reporter : undefined,
    creditPreference: optional(values.creditPreference),
    acceptPolicy: values.acceptPolicy === 'yes',
    policyVersion: Number(values.policyVersion),
  };
}

/**
 * A field's message: an empty required field says so (`vdp-intake:missing.<field>`), not the
 * field's length rule (`vdp-intake:errors.<field>`).
 */
export function formFieldError(locale: Locale, field: string, missing: boolean): string {
  const key = `vdp-intake:missing.${field}`;
  return translate(locale, missing && hasTranslation(locale, key) ? key : `vdp-intake:errors.${field}`);
}

const asIssue = (issue: z.core.$ZodIssue) => ({
  keyword: issue.code,
  message: issue.message,
  params: issue as unknown as Record<string, unknown>,
});

/** Where an issue of the API schema shows on the form. */
function fieldOfIssue(issue: z.core.$ZodIssue): string {
  const [first, second] = issue.path.map(String);
  if (first === 'reporter') return second ?? 'name';
  return first ?? 'form';
}

export type ReportFormCheck = { ok: true; body: ReportBody } | { ok: false; errors: FieldErrors };

/** Validates the form as the API would, plus what only a form needs (a category, a credit that exists). */
export function checkReportForm(locale: Locale, values: Record<string, string>): ReportFormCheck {
  const parsed = ReportBody.safeParse(reportBodyOf(values));
  const issues = parsed.success ? [] : parsed.error.issues;
  const invalid = new Set(issues.map(fieldOfIssue));
  const missing = new Set(issues.filter((issue) => isMissing(asIssue(issue))).map(fieldOfIssue));
  if (!values.category?.trim()) invalid.add('category');
  const preference = values.creditPreference;
  if (preference === 'name' && !values.name?.trim()) invalid.add('creditName');
  if (preference === 'handle' && !values.handle?.trim()) invalid.add('creditHandle');
  if (invalid.size === 0 && parsed.success) return { ok: true, body: parsed.data };
  const errors: FieldErrors = {};
  for (const field of REPORT_FORM_FIELDS) {
    if (invalid.has(field)) errors[field] = formFieldError(locale, field, missing.has(field));
  }
  if (invalid.has('creditName')) errors.name ??= translate(locale, 'vdp-intake:errors.creditName');
  if (invalid.has('creditHandle')) errors.handle ??= translate(locale, 'vdp-intake:errors.creditHandle');
  // A hidden field (the policy version) or a tampered one: nothing the visitor can fix but to reload.
  if (Object.keys(errors).length === 0) errors.form = translate(locale, 'vdp-intake:errors.form');
  return { ok: false, errors };
}
