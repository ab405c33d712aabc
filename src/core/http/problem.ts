/**
 * An RFC 9457 problem. Throw it from anywhere; the error handler answers it as
 * `application/problem+json`. `code` names the problem (`user-not-found`); its title is translated
 * from the `problems` catalog; `detail` is for this occurrence and must never hold a secret.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extra?: Record<string, unknown>,
): Problem {
  return new Problem(status, code, detail, extra);
}

/** Problems shared by every domain; each domain keeps its own catalog in its `problems.ts`. */
export const problems = {
  unauthenticated: () => problem(401, 'unauthenticated', 'Sign in or send a valid API token.'),
  forbidden: (permission: string) =>
    problem(403, 'forbidden', `Your role does not allow this action (${permission}).`, { permission }),
  csrf: () =>
    problem(403, 'csrf-token-invalid', 'Missing or wrong x-csrf-token header for a cookie session.'),
  notFound: (what: string) => problem(404, 'not-found', `${what} was not found.`),
  routeNotFound: (method: string, url: string) =>
    problem(404, 'route-not-found', `There is no ${method} ${url.split('?')[0]} route.`),
  malformedBody: (detail: string) => problem(400, 'malformed-body', detail),
  bodyTooLarge: (limitBytes: number) =>
    problem(413, 'body-too-large', `The request body is larger than ${limitBytes} bytes.`),
  unsupportedMediaType: (type: string) =>
    problem(
      415,
      'unsupported-media-type',
      `Content-Type ${JSON.stringify(type)} is not accepted here; send JSON.`,
    ),
  validation: (errors: { in: string; pointer: string; detail: string }[]) =>
    problem(422, 'validation-failed', errors.map((e) => `${e.in}${e.pointer}: ${e.detail}`).join('; '), {
      errors,
    }),
  rateLimited: (retryAfterSeconds: number) =>
    problem(429, 'rate-limited', `Too many requests; try again in ${retryAfterSeconds} seconds.`),
  mfaRequired: () => problem(403, 'mfa-required', 'Complete the second authentication step first.'),
};
