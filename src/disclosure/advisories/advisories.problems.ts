import { problem } from '../../core/http/problem.ts';

/**
 * Problems of security advisories; titles live in src/core/i18n/locales/<locale>/problems.json, rows in
 * docs/problems.md.
 */
export const advisoryProblems = {
  notFound: (advisoryId: string) =>
    problem(404, 'advisory-not-found', `No security advisory with id ${advisoryId}.`),
  published: (identifier: string) =>
    problem(
      409,
      'advisory-published',
      `${identifier} is published; a published advisory stays online and can only be revised.`,
    ),
  alreadyPublished: (identifier: string) =>
    problem(409, 'advisory-already-published', `${identifier} is already published.`),
  embargoed: (identifier: string, embargoUntil: Date) =>
    problem(
      409,
      'advisory-embargoed',
      `${identifier} is under embargo until ${embargoUntil.toISOString()}; send force: true to publish anyway.`,
      { embargoUntil: embargoUntil.toISOString() },
    ),
  incomplete: (identifier: string, missing: string[]) =>
    problem(409, 'advisory-incomplete', `${identifier} cannot be published yet: ${missing.join('; ')}.`, {
      missing,
    }),
  noReport: (identifier: string) =>
    problem(
      409,
      'advisory-no-report',
      `${identifier} is not linked to a report, so there is no researcher to share it with.`,
    ),
  cveIdMissing: (identifier: string) =>
    problem(
      409,
      'advisory-cve-id-missing',
      `${identifier} has no CVE id; a CVE record needs one (set cveId first).`,
    ),
};
