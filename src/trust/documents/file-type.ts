import { fileTypeFromBuffer } from 'file-type';

/** The kinds of file a trust-center document may be. Anything else is refused at upload. */
export type DocumentFileKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'zip' | 'text';

export type DetectedFileType = { kind: DocumentFileKind; contentType: string };

/** What the file name's extension declares, and the content type we serve each kind with. */
const EXTENSIONS: Record<string, DocumentFileKind> = {
  pdf: 'pdf',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  docx: 'docx',
  xlsx: 'xlsx',
  zip: 'zip',
  txt: 'text',
  md: 'text',
  csv: 'text',
};

const CONTENT_TYPES: Record<DocumentFileKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
  text: 'text/plain; charset=utf-8',
};

/** Part content types that say nothing about the file (browsers send these for unknown extensions). */
const UNINFORMATIVE = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Content types a client may declare for each kind, besides the canonical one. */
const DECLARED_ALIASES: Record<DocumentFileKind, string[]> = {
  pdf: ['application/pdf', 'application/x-pdf'],
  png: ['image/png'],
  jpeg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  docx: [CONTENT_TYPES.docx],
  xlsx: [CONTENT_TYPES.xlsx],
  zip: ['application/zip', 'application/x-zip-compressed'],
  text: ['text/plain', 'text/markdown', 'text/csv', 'text/x-markdown'],
};

export type FileTypeCheck =
  | { ok: true; type: DetectedFileType }
  | { ok: false; reason: 'unsupported-extension'; extension: string }
  | { ok: false; reason: 'unrecognized-content' }
  | { ok: false; reason: 'mismatch'; declared: string; detected: DocumentFileKind };

/** The lowercase extension of a file name without the dot, or '' when it has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/**
 * Works out what a file really is from its bytes (magic numbers, via the `file-type` package; OOXML
 * is told apart from a plain ZIP by its parts) and checks it against what the uploader declared: the
 * file name's extension and, when informative, the part's content type. Plain text has no magic number,
 * so it is recognised as valid UTF-8 without NUL bytes.
 *
 * Never throws for bad input: an unsupported extension, unrecognised bytes or any disagreement come back
 * as `ok: false` with the reason.
 */
export async function checkFileType(
  bytes: Uint8Array,
  declared: { fileName: string; contentType?: string },
): Promise<FileTypeCheck> {
  const extension = extensionOf(declared.fileName);
  const byName = EXTENSIONS[extension];
  if (!byName) return { ok: false, reason: 'unsupported-extension', extension };
  const detected = await detectKind(bytes);
  if (!detected) return { ok: false, reason: 'unrecognized-content' };
  if (detected !== byName) return { ok: false, reason: 'mismatch', declared: `.${extension}`, detected };
  const declaredType = (declared.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!UNINFORMATIVE.has(declaredType) && !DECLARED_ALIASES[detected].includes(declaredType)) {
    return { ok: false, reason: 'mismatch', declared: declaredType, detected };
  }
  const contentType =
    detected === 'text' && extension === 'csv' ? 'text/csv; charset=utf-8' : CONTENT_TYPES[detected];
  return { ok: true, type: { kind: detected, contentType } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function detectKind(bytes: Uint8Array): Promise<DocumentFileKind | undefined> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) {
    switch (found.ext) {
      case 'pdf':
        return 'pdf';
      case 'png':
        return 'png';
      case 'jpg':
        return 'jpeg';
      case 'docx':
        return 'docx';
      case 'xlsx':
        return 'xlsx';
      case 'zip':
        return 'zip';
      default:
        return undefined;
    }
  }
  return isPlainText(bytes) ? 'text' : undefined;
}

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
