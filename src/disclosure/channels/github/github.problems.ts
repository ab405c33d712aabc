import { problem } from '../../../core/http/problem.ts';

export const githubProblems = {
  /** No secret (or no repository) configured: the endpoint does not exist as far as callers can tell. */
  webhookDisabled: () =>
    problem(404, 'disclosure-github-webhook-disabled', 'The GitHub webhook is not enabled on this server.'),
  signatureInvalid: () =>
    problem(
      401,
      'disclosure-github-signature-invalid',
      'X-Hub-Signature-256 is missing or does not match the body signed with the webhook secret.',
    ),
};
