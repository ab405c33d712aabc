import { problem } from '../../core/http/problem.ts';

/**
 * Problems of trust-center documents and their files; titles live in
 * src/core/i18n/locales/<locale>/problems.json, rows in docs/problems.md.
 */
export const documentProblems = {
  documentNotFound: (documentId: string) =>
    problem(404, 'document-not-found', `No trust-center document with id ${documentId}.`),
  documentFileNotFound: (fileId: string) =>
    problem(404, 'document-file-not-found', `This document has no file with id ${fileId}.`),
  slugTaken: (slug: string) =>
    problem(409, 'document-slug-taken', `Another document already uses the slug ${slug}.`),
  fileMissing: () =>
    problem(400, 'document-file-missing', 'Send the file as a multipart/form-data part named "file".'),
  fileTooLarge: (limitBytes: number) =>
    problem(413, 'document-file-too-large', `The file is larger than the limit of ${limitBytes} bytes.`, {
      limitBytes,
    }),
  fileTypeUnsupported: (extension: string) =>
    problem(
      422,
      'document-file-type-unsupported',
      `Files ending in ${JSON.stringify(extension ? `.${extension}` : '')} can't be uploaded; use PDF, PNG, JPEG, DOCX, XLSX, ZIP or plain text (.txt, .md, .csv).`,
    ),
  fileTypeMismatch: (declared: string, detected: string) =>
    problem(
      422,
      'document-file-type-mismatch',
      `The file is declared as ${declared} but its content is ${detected}.`,
      { declared, detected },
    ),
  fileUnrecognized: () =>
    problem(
      422,
      'document-file-type-mismatch',
      'The content of the file is not a PDF, PNG, JPEG, DOCX, XLSX, ZIP or UTF-8 text, whatever its name says.',
    ),
  pdfEncrypted: () =>
    problem(
      422,
      'document-pdf-encrypted',
      'The PDF is encrypted or password-protected, so it could not be watermarked; upload an unprotected copy.',
    ),
  storedFileUnavailable: (error: { fileId: string; reason: 'missing' | 'unreadable' }) =>
    problem(
      409,
      'document-file-unavailable',
      error.reason === 'missing'
        ? `The stored bytes of file ${error.fileId} are not in the file store (lost, or left out of a restore); upload the file again.`
        : `The stored bytes of file ${error.fileId} do not decrypt (altered, or sealed with a key this server does not have).`,
      { fileId: error.fileId, reason: error.reason },
    ),
  pdfUnreadable: () =>
    problem(
      422,
      'document-pdf-unreadable',
      'The PDF could not be read (damaged or without pages), so it could not be watermarked.',
    ),
};
