import { type Locale, translate } from '../i18n/index.ts';

/** What fastify-type-provider-zod keeps of a zod issue: its code, message and the rest as params. */
export type ValidationIssue = {
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
};

/**
 * A field's message in the reader's language. An empty required field says it is required (zod's
 * own text for `min(1)` reads like a length rule, and forms showed the field's length hint for
 * it); a too-long string names its limit; anything else keeps zod's precise English message.
 */
export function fieldErrorDetail(issue: ValidationIssue, locale: Locale, absent = false): string {
  const params = issue.params ?? {};
  if (isMissing(issue) || (absent && issue.keyword === 'invalid_type')) {
    return translate(
      locale,
      params.origin === 'array' ? 'common:fieldErrors.tooFewItems' : 'common:fieldErrors.required',
    );
  }
  if (issue.keyword === 'too_big' && params.origin === 'string' && typeof params.maximum === 'number') {
    return translate(locale, 'common:fieldErrors.tooLong', { count: params.maximum });
  }
  return issue.message ?? 'invalid value';
}

/** Empty where something is required: a blank string or list under `min(1)`, or no value at all. */
export function isMissing(issue: ValidationIssue): boolean {
  const params = issue.params ?? {};
  if (issue.keyword === 'too_small') {
    return (params.origin === 'string' || params.origin === 'array') && Number(params.minimum) === 1;
  }
  // zod 4 says "expected string, received undefined" for an absent required property.
  return issue.keyword === 'invalid_type' && /received undefined$/.test(issue.message ?? '');
}

/** Whether the request had nothing at a JSON pointer ("/reporter/email") of what was validated. */
export function isAbsentAt(input: unknown, pointer: string): boolean {
  let value = input;
  for (const segment of pointer.split('/').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return true;
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined;
}
