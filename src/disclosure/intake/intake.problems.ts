import { problem } from '../../core/http/problem.ts';

/**
 * Problems of report intake (API and forms); titles live in
 * src/core/i18n/locales/<locale>/problems.json, rows in docs/problems.md.
 */
export const intakeProblems = {
  attachmentTooLarge: (fileName: string, limitBytes: number) =>
    problem(
      413,
      'disclosure-attachment-too-large',
      `The attachment ${JSON.stringify(fileName)} is larger than the limit of ${limitBytes} bytes.`,
      { fileName, limitBytes },
    ),
  tooManyAttachments: (limit: number) =>
    problem(422, 'disclosure-too-many-attachments', `Send at most ${limit} attachments with a report.`, {
      limit,
    }),
  attachmentTypeUnsupported: (fileName: string, accepted: string) =>
    problem(
      422,
      'disclosure-attachment-type-unsupported',
      `The content of ${JSON.stringify(fileName)} is not one of the accepted types (${accepted}), whatever its name says.`,
      { fileName },
    ),
};
