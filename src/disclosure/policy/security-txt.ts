import * as openpgp from 'openpgp';
import type { ProgramSource } from '../program/program.schema.ts';
import { contactUri, programUrls } from '../program/program.urls.ts';
import { MAX_EXPIRES_DAYS } from '../program/program.validation.ts';

/**
 * `/.well-known/security.txt` (RFC 9116) from the published program: pure functions that build the
 * field list, format it, and sign it as an OpenPGP cleartext message. The prose lives on the policy
 * page; the file only points to it.
 */

export type SecurityTxtField = { name: string; value: string };

export type SecurityTxtInput = {
  source: ProgramSource;
  publicUrl: string;
  now: Date;
  /** The public key's URL, when an active key exists (the `Encryption` field). */
  encryptionKeyUrl?: string;
  /** True once an advisory is published: the `CSAF` field then names the provider metadata. */
  csaf: boolean;
};

const DAY_MS = 86_400_000;

/**
 * The Expires date: with auto-renewal, `expiresDays` after today's UTC midnight (at most 365 days,
 * so always less than a year ahead, and the same all day long, which lets the signed file be cached
 * per day); without it, the admin's fixed date.
 */
export function securityTxtExpires(source: ProgramSource, now: Date): Date {
  const { autoRenew, fixedExpires, expiresDays } = source.securityTxt;
  if (!autoRenew && fixedExpires) return new Date(fixedExpires);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight + Math.min(expiresDays, MAX_EXPIRES_DAYS) * DAY_MS);
}

/** RFC 3339 `date-time` in UTC without fractions: `2026-05-04T00:00:00Z`. */
export function formatExpires(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The fields, in the order RFC 9116 lists them in its example: contacts first (the first one is the
 * preferred channel), then Expires (exactly one), Encryption, Acknowledgments, Preferred-Languages
 * (at most one), Canonical, Policy, Hiring, and the CSAF extension.
 */
export function securityTxtFields(input: SecurityTxtInput): SecurityTxtField[] {
  const { source, publicUrl } = input;
  const urls = programUrls(publicUrl);
  const main = source.defaultLocale;
  const fields: SecurityTxtField[] = [];
  const seen = new Set<string>();
  for (const contact of source.contacts) {
    const uri = contactUri(contact, main, publicUrl);
    if (seen.has(uri)) continue;
    seen.add(uri);
    fields.push({ name: 'Contact', value: uri });
  }
  fields.push({ name: 'Expires', value: formatExpires(securityTxtExpires(source, input.now)) });
  if (input.encryptionKeyUrl) fields.push({ name: 'Encryption', value: input.encryptionKeyUrl });
  fields.push({ name: 'Acknowledgments', value: urls.thanks(main) });
  const languages = [...new Set(source.preferredLanguages)];
  fields.push({ name: 'Preferred-Languages', value: languages.join(', ') });
  fields.push({ name: 'Canonical', value: urls.securityTxt });
  fields.push({ name: 'Policy', value: urls.policy(main) });
  if (source.securityTxt.hiringUrl) fields.push({ name: 'Hiring', value: source.securityTxt.hiringUrl });
  if (input.csaf) fields.push({ name: 'CSAF', value: urls.csafProviderMetadata });
  return fields;
}

/** One `Name: value` line per field, LF line endings throughout, a comment naming the company first. */
export function formatSecurityTxt(fields: SecurityTxtField[], companyName: string): string {
  // A newline in a value would start a new field: values come from validated URIs, but never trust that.
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
  const lines = [
    `# Security contact information of ${oneLine(companyName)} (RFC 9116).`,
    ...fields.map((field) => `${field.name}: ${oneLine(field.value)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Wraps the text in an OpenPGP cleartext signature (RFC 9116 §2.3), which `gpg --verify` and
 * openpgp.js check. SHA-512 is asked for explicitly so the armor carries a `Hash:` header that
 * older verifiers expect.
 */
export async function signSecurityTxt(text: string, signingKey: openpgp.PrivateKey): Promise<string> {
  const message = await openpgp.createCleartextMessage({ text });
  const signed = await openpgp.sign({
    message,
    signingKeys: signingKey,
    config: { preferredHashAlgorithm: openpgp.enums.hash.sha512 },
  });
  // openpgp.js ends the signed lines with CRLF and the armor lines with LF; RFC 9116 §2.2 wants one
  // convention. The signature covers the text with canonical (CRLF) line endings, so LF keeps it valid.
  return signed.replace(/\r\n/g, '\n');
}
