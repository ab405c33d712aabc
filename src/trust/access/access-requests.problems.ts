import { problem, problems } from '../../core/http/problem.ts';

export const accessRequestProblems = {
  notFound: (id: string) => problems.notFound(`Access request ${id}`),
  notPending: (id: string, status: string) =>
    problem(
      409,
      'access-request-not-pending',
      `Access request ${id} is ${status}; only pending requests can be decided.`,
      { requestStatus: status },
    ),
  unknownDocuments: (ids: string[]) =>
    problems.validation(
      ids.map((id) => ({ in: 'body', pointer: '/documentIds', detail: `${id} is not a gated document` })),
    ),
  documentNotRequestable: (slug: string) =>
    problems.notFound(`A requestable document ${JSON.stringify(slug)}`),
  grantNotFound: (id: string) => problems.notFound(`Grant ${id}`),
};
