import { problem, problems } from '../../core/http/problem.ts';

/** Problems of the triage API. Field mistakes are `validation-failed` with a pointer, for forms. */
export const triageProblems = {
  reportNotFound: (id: string) =>
    problem(404, 'disclosure-report-not-found', `No vulnerability report has the id ${id}.`),
  attachmentNotFound: (id: string) => problems.notFound(`Attachment ${id} of this report`),
  cannedResponseNotFound: (id: string) => problems.notFound(`Canned response ${id}`),
  firstResponseSent: (number: number, at: Date) =>
    problem(
      409,
      'disclosure-first-response-sent',
      `Report #${number} already had its first response (${at.toISOString()}); send a message instead.`,
      { firstResponseAt: at.toISOString() },
    ),
  reporterErased: (number: number) =>
    problem(409, 'disclosure-reporter-erased', `The reporter of report #${number} was already erased.`),
  field: (pointer: string, detail: string) => problems.validation([{ in: 'body', pointer, detail }]),
};
