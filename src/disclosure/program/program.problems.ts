import { problem, problems } from '../../core/http/problem.ts';

type FieldError = { pointer: string; detail: string };

export const programProblems = {
  /** The draft breaks a rule zod cannot see (unique keys, known VRT ids, security.txt dates): 422. */
  invalidProgram: (errors: FieldError[]) =>
    problems.validation(errors.map((error) => ({ in: 'body', ...error }))),
  /** Publishing without a security contact the owner gave (or with a placeholder such as @localhost): 422. */
  securityContactMissing: () =>
    problem(
      422,
      'disclosure-security-contact-missing',
      "Set the organization's security contact (Settings → Organization, or `attest org set --security-contact`) before publishing: the policy and security.txt must name an address that reaches you, not a placeholder.",
    ),
  versionNotFound: (version: number) => problems.notFound(`Program version ${version}`),
  keyNotFound: (id: string) => problems.notFound(`OpenPGP key ${id}`),
  keyExists: (fingerprint: string) =>
    problem(409, 'disclosure-pgp-key-exists', `The key ${fingerprint} is already stored.`, { fingerprint }),
  unusableKey: (detail: string, pointer = '/armoredKey') =>
    problems.validation([{ in: 'body', pointer, detail }]),
};
