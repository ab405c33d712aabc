import { problem, problems } from '../core/http/problem.ts';

type FieldError = { pointer: string; detail: string };

export const programProblems = {
  /** The draft breaks a rule zod cannot see (unique keys, known VRT ids, security.txt dates): 422. */
  invalidProgram: (errors: FieldError[]) =>
    problems.validation(errors.map((error) => ({ in: 'body', ...error }))),
  versionNotFound: (version: number) => problems.notFound(`Program version ${version}`),
  keyNotFound: (id: string) => problems.notFound(`OpenPGP key ${id}`),
  keyExists: (fingerprint: string) =>
    problem(409, 'disclosure-pgp-key-exists', `The key ${fingerprint} is already stored.`, { fingerprint }),
  unusableKey: (detail: string, pointer = '/armoredKey') =>
    problems.validation([{ in: 'body', pointer, detail }]),
};
