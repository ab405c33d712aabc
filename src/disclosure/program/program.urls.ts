import type { Locale } from '../../core/i18n/index.ts';
import type { ProgramSource } from './program.schema.ts';

/** The public addresses of the program, absolute under the install's public URL. */
export const PROGRAM_PATHS = {
  policy: '/security/policy',
  reportForm: '/security/report',
  thanks: '/security/thanks',
  advisories: '/security/advisories',
  securityTxt: '/.well-known/security.txt',
  publicKey: '/.well-known/pgp-key.txt',
  csafProviderMetadata: '/.well-known/csaf/provider-metadata.json',
} as const;

export type ProgramUrls = {
  policy(locale: Locale): string;
  reportForm(locale: Locale): string;
  thanks(locale: Locale): string;
  advisories(locale: Locale): string;
  securityTxt: string;
  publicKey: string;
  csafProviderMetadata: string;
};

export function programUrls(publicUrl: string): ProgramUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    policy: (locale) => `${base}/${locale}${PROGRAM_PATHS.policy}`,
    reportForm: (locale) => `${base}/${locale}${PROGRAM_PATHS.reportForm}`,
    thanks: (locale) => `${base}/${locale}${PROGRAM_PATHS.thanks}`,
    advisories: (locale) => `${base}/${locale}${PROGRAM_PATHS.advisories}`,
    securityTxt: `${base}${PROGRAM_PATHS.securityTxt}`,
    publicKey: `${base}${PROGRAM_PATHS.publicKey}`,
    csafProviderMetadata: `${base}${PROGRAM_PATHS.csafProviderMetadata}`,
  };
}

/**
 * Where a contact channel points, as an absolute URI: the form channel holds a path under the locale
 * (`/security/report` → `https://…/en/security/report`); the others hold their URI already.
 */
export function contactUri(
  contact: ProgramSource['contacts'][number],
  locale: Locale,
  publicUrl: string,
): string {
  if (contact.kind === 'form' && contact.value.startsWith('/')) {
    return `${publicUrl.replace(/\/+$/, '')}/${locale}${contact.value}`;
  }
  return contact.value;
}
