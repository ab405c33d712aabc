import Holidays from 'date-holidays';
import type { LocalizedText, ProgramSource } from './program.schema.ts';
import { isVrtId } from './program.vrt.ts';

export type FieldError = { pointer: string; detail: string };

/** RFC 9116 §2.5.5: Expires must be less than a year ahead. */
export const MAX_EXPIRES_DAYS = 365;
const DAY_MS = 86_400_000;

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$|^[^\s@<>()",;:]+@localhost$/i;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What a contact's value must look like: security.txt copies it into a `Contact:` URI. */
function contactError(kind: string, value: string): string | undefined {
  if (kind === 'email') {
    if (!value.startsWith('mailto:') || !EMAIL.test(value.slice('mailto:'.length))) {
      return 'a mailto: URI such as mailto:security@example.com';
    }
    return undefined;
  }
  if (kind === 'form') {
    return value.startsWith('/') || isHttpsUrl(value)
      ? undefined
      : 'a path such as /security/report or an https URL';
  }
  if (kind === 'other' && /^(mailto|tel):\S+$/.test(value)) return undefined;
  return isHttpsUrl(value) ? undefined : 'an https:// URL';
}

function duplicates(values: string[], pointerOf: (index: number) => string, what: string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  values.forEach((value, index) => {
    const normalized = value.toLowerCase();
    if (seen.has(normalized))
      errors.push({ pointer: pointerOf(index), detail: `${what} ${value} is listed twice` });
    seen.add(normalized);
  });
  return errors;
}

function holidayErrors(holidays: ProgramSource['holidays']): FieldError[] {
  const { country, region } = holidays;
  if (!country) {
    return region ? [{ pointer: '/holidays/country', detail: 'a country is needed with a region' }] : [];
  }
  const calendar = new Holidays();
  if (!Object.hasOwn(calendar.getCountries(), country)) {
    return [{ pointer: '/holidays/country', detail: `${country} has no holiday calendar` }];
  }
  if (region && !Object.hasOwn(calendar.getStates(country) ?? {}, region)) {
    return [{ pointer: '/holidays/region', detail: `${region} is not a region of ${country}` }];
  }
  return [];
}

/** The fixed Expires date: needed without auto-renewal, in the future and less than a year ahead. */
function expiresErrors(securityTxt: ProgramSource['securityTxt'], now: Date): FieldError[] {
  const pointer = '/securityTxt/fixedExpires';
  if (!securityTxt.fixedExpires) {
    return securityTxt.autoRenew ? [] : [{ pointer, detail: 'a date is needed when auto-renewal is off' }];
  }
  const expires = new Date(securityTxt.fixedExpires).getTime();
  if (expires <= now.getTime()) return [{ pointer, detail: 'must be in the future' }];
  if (expires > now.getTime() + MAX_EXPIRES_DAYS * DAY_MS) {
    return [{ pointer, detail: `must be less than ${MAX_EXPIRES_DAYS} days ahead (RFC 9116)` }];
  }
  return [];
}

/**
 * Rules of the program the zod schema cannot express: unique keys, known VRT ids, contact URIs a
 * security.txt can carry, a real holiday calendar, and texts present in the default locale (the
 * fallback of every other one). Empty when the source may be saved and published at `now`.
 */
export function checkProgram(source: ProgramSource, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const main = source.defaultLocale;
  const needsText = (text: LocalizedText, pointer: string) => {
    if (!text[main]?.trim())
      errors.push({ pointer: `${pointer}/${main}`, detail: 'text in the default locale is needed' });
  };
  needsText(source.introduction, '/introduction');
  needsText(source.safeHarbor, '/safeHarbor');
  for (const [i, rule] of source.rulesOfEngagement.entries()) needsText(rule, `/rulesOfEngagement/${i}`);
  for (const [i, promise] of source.promises.entries()) needsText(promise, `/promises/${i}`);

  errors.push(
    ...duplicates(
      source.assets.map((asset) => asset.identifier),
      (i) => `/assets/${i}/identifier`,
      'asset',
    ),
    ...duplicates(
      source.outOfScopeCategories.map((c) => c.key),
      (i) => `/outOfScopeCategories/${i}/key`,
      'category',
    ),
    ...duplicates(source.preferredLanguages, (i) => `/preferredLanguages/${i}`, 'language'),
  );
  source.outOfScopeCategories.forEach((c, i) => {
    needsText(c.label, `/outOfScopeCategories/${i}/label`);
    if (c.vrtId && !isVrtId(c.vrtId)) {
      errors.push({
        pointer: `/outOfScopeCategories/${i}/vrtId`,
        detail: `${c.vrtId} is not a Bugcrowd VRT id`,
      });
    }
  });

  if (source.contacts.length === 0)
    errors.push({ pointer: '/contacts', detail: 'at least one contact is needed' });
  source.contacts.forEach((contact, i) => {
    const detail = contactError(contact.kind, contact.value);
    if (detail) errors.push({ pointer: `/contacts/${i}/value`, detail });
  });

  errors.push(...holidayErrors(source.holidays), ...expiresErrors(source.securityTxt, now));
  return errors;
}
