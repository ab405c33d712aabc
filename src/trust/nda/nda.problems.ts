import { problem, problems } from '../../core/http/problem.ts';

export const ndaProblems = {
  templateNotFound: (id: string) => problems.notFound(`NDA template ${id}`),
  templateAccepted: (id: string, acceptances: number) =>
    problem(
      409,
      'nda-template-accepted',
      `NDA template ${id} was accepted ${acceptances} time(s) and can't change; create a new version instead.`,
      { acceptances },
    ),
  exemptionExists: (domain: string) =>
    problem(409, 'nda-exemption-exists', `There is already an NDA exemption for ${domain}.`),
  exemptionNotFound: (id: string) => problems.notFound(`NDA exemption ${id}`),
};
