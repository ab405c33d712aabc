import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { refuseNul } from '../../core/http/nul-guard.ts';
import { Problem, problems } from '../../core/http/problem.ts';
import type { IncomingAttachment } from '../reports/reports.service.ts';
import { intakeProblems } from './intake.problems.ts';

/**
 * Files researchers send with a report or a message: screenshots, a PDF, a screen recording, an
 * archive of a proof of concept, logs. Their type is decided by their bytes (magic numbers, via
 * `file-type`; plain text as valid UTF-8 without NUL), never by the name or the declared type, and
 * the detected type is the one they are stored and served with.
 */
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Parts the multipart reader takes before giving up: more than this is not a browser or a client of ours. */
const HARD_FILE_PARTS = 20;
const MAX_FILE_NAME = 200;

/** file-type's extension → the content type the file is stored and served with. */
const ACCEPTED: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  zip: 'application/zip',
};
const TEXT = 'text/plain; charset=utf-8';

/** What the intake accepts, for the OpenAPI description, the intake options and the form's hint. */
export const ACCEPTED_ATTACHMENT_TYPES = [...new Set(Object.values(ACCEPTED)), 'text/plain'];
export const ACCEPTED_KINDS_TEXT = 'PNG, JPEG, GIF, WebP, PDF, MP4, WebM, QuickTime, ZIP, UTF-8 text';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The content type of an accepted file, by its bytes; undefined for anything else. */
export async function detectAttachmentType(bytes: Uint8Array): Promise<string | undefined> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return ACCEPTED[found.ext];
  if (bytes.length === 0 || bytes.includes(0)) return undefined;
  try {
    utf8.decode(bytes);
    return TEXT;
  } catch {
    return undefined;
  }
}

/** A file name safe to store and show: no path, no control characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, MAX_FILE_NAME);
  return cleaned || 'attachment';
}

export type UploadedFile = { fileName: string; bytes: Buffer; truncated: boolean };
export type { FormBody } from '../../core/http/html-forms.ts';

import type { FormBody } from '../../core/http/html-forms.ts';
export type MultipartForm = { fields: FormBody; files: UploadedFile[]; tooMany: boolean };

/**
 * Reads a multipart body: every text field (a name sent twice becomes a list) and the file parts named
 * `fileField`. Browsers send an empty part for a file input left empty: it is skipped. A file over
 * MAX_ATTACHMENT_BYTES is kept as `truncated` and files past MAX_ATTACHMENTS are drained and flagged, so
 * the caller can answer with a clear error (and a form can be shown again with everything typed so far).
 */
export async function readMultipart(request: FastifyRequest, fileField: string): Promise<MultipartForm> {
  const fields: FormBody = {};
  const files: UploadedFile[] = [];
  let tooMany = false;
  try {
    // The plugin is registered with throwFileSizeLimit: false, so an oversize file arrives truncated.
    for await (const part of request.parts({
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: HARD_FILE_PARTS },
    })) {
      if (part.type === 'field') {
        // A part declared as application/json arrives parsed; the form wants the text.
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        const previous = fields[part.fieldname];
        if (previous === undefined) fields[part.fieldname] = value;
        else fields[part.fieldname] = Array.isArray(previous) ? [...previous, value] : [previous, value];
        continue;
      }
      if (part.fieldname !== fileField || (files.length >= MAX_ATTACHMENTS && part.filename)) {
        if (part.fieldname === fileField) tooMany = true;
        part.file.resume();
        continue;
      }
      const bytes = await part.toBuffer();
      if (!part.filename && bytes.length === 0) continue;
      files.push({ fileName: cleanFileName(part.filename), bytes, truncated: part.file.truncated });
    }
  } catch (error) {
    throw toMultipartProblem(error);
  }
  // Multipart fields are read here, after the app-wide NUL guard ran: the same rule, the same 422.
  refuseNul('body', fields);
  return { fields, files, tooMany };
}

/** The files as attachments for the report core, or the problem that refuses them (413 / 422). */
export async function checkAttachments(
  form: Pick<MultipartForm, 'files' | 'tooMany'>,
): Promise<IncomingAttachment[]> {
  if (form.tooMany) throw intakeProblems.tooManyAttachments(MAX_ATTACHMENTS);
  const oversize = form.files.find((file) => file.truncated);
  if (oversize) throw intakeProblems.attachmentTooLarge(oversize.fileName, MAX_ATTACHMENT_BYTES);
  const attachments: IncomingAttachment[] = [];
  for (const file of form.files) {
    const contentType = await detectAttachmentType(file.bytes);
    if (!contentType) throw intakeProblems.attachmentTypeUnsupported(file.fileName, ACCEPTED_KINDS_TEXT);
    attachments.push({ fileName: file.fileName, contentType, content: file.bytes });
  }
  return attachments;
}

function toMultipartProblem(error: unknown): unknown {
  if (error instanceof Problem) return error;
  switch ((error as { code?: unknown }).code) {
    case 'FST_FILES_LIMIT':
      return intakeProblems.tooManyAttachments(MAX_ATTACHMENTS);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return problems.malformedBody('Too many form fields.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return problems.malformedBody('The body is not multipart/form-data.');
    default:
      // busboy's own complaints ("Unexpected end of form", "Malformed part header") are the body's fault.
      return problems.malformedBody('The multipart body could not be read.');
  }
}
