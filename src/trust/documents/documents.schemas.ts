import { z } from 'zod';
import { Id, LocaleField, PageQuery } from '../../core/http/fields.ts';
import { localizedInput, Slug } from '../content/content.schemas.ts';

export const AccessLevel = z
  .enum(['public', 'request', 'nda'])
  .describe('public: anyone downloads; request: an approved request; nda: approval and an accepted NDA');

const IsoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const LocalizedView = z.object({
  en: z.string().optional(),
  es: z.string().optional(),
  fr: z.string().optional(),
});
const datesInOrder = (body: { validFrom?: string | null; validUntil?: string | null }) =>
  !body.validFrom || !body.validUntil || body.validFrom <= body.validUntil;
const DATES_IN_ORDER = { error: 'validUntil must not be before validFrom', path: ['validUntil'] };

const DocumentFields = z.strictObject({
  slug: Slug.describe('The document in URLs: /{locale}/documents/{slug}'),
  title: localizedInput(200).refine((value) => Object.keys(value).length > 0, {
    error: 'write it in at least one language',
  }),
  description: localizedInput(2000).optional(),
  accessLevel: AccessLevel,
  validFrom: IsoDate.nullable().optional().describe('Offered from this day (UTC) on'),
  validUntil: IsoDate.nullable()
    .optional()
    .describe('Offered up to and including this day (UTC); then marked expired'),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const CreateDocumentBody = DocumentFields.refine(datesInOrder, DATES_IN_ORDER);
export type CreateDocumentBody = z.infer<typeof CreateDocumentBody>;

export const UpdateDocumentBody = DocumentFields.partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'change at least one field' })
  .refine(datesInOrder, DATES_IN_ORDER);
export type UpdateDocumentBody = z.infer<typeof UpdateDocumentBody>;

export const DocumentParams = z.strictObject({ documentId: Id });
export const DocumentFileParams = z.strictObject({ documentId: Id, fileId: Id });

export const ListDocumentsQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional().describe('Searches slugs and titles'),
  accessLevel: AccessLevel.optional(),
  archived: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('true: only archived; false (default): only not archived'),
});
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuery>;

/** The multipart field next to the file: which locale the file is for (absent = every locale without its own). */
export const UploadFields = z.strictObject({ locale: LocaleField.optional() });

export const DocumentFileView = z.object({
  id: Id,
  locale: LocaleField.nullable().describe('null: the file for every locale without its own'),
  version: z.number().int(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  current: z.boolean().describe('The newest version for its locale: the one visitors download'),
  watermarked: z
    .boolean()
    .describe('Stamped with the recipient, time and download id on every download: PDF files only'),
  missing: z
    .boolean()
    .describe('The stored bytes are not in the file store (lost, or not restored): downloads answer 404'),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type DocumentFileView = z.infer<typeof DocumentFileView>;

export const DocumentStatus = z
  .enum(['active', 'scheduled', 'expired', 'archived'])
  .describe('scheduled: validFrom is ahead; expired: validUntil has passed');

export const DocumentWarning = z
  .enum(['gated-file-not-watermarked', 'file-missing'])
  .describe(
    'gated-file-not-watermarked: a request or NDA document has a current file that is not a PDF, so it is ' +
      'downloaded without the recipient stamp; file-missing: a current file is not in the file store, so ' +
      'visitors get 404 for it',
  );
export type DocumentWarning = z.infer<typeof DocumentWarning>;

export const DocumentView = z.object({
  id: Id,
  slug: z.string(),
  title: LocalizedView,
  description: LocalizedView,
  accessLevel: AccessLevel,
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  position: z.number().int(),
  status: DocumentStatus,
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  currentFiles: z.array(DocumentFileView).describe('The current file per locale'),
  warnings: z
    .array(DocumentWarning)
    .describe('Problems the admin should fix; each is also shown in the admin app'),
});
export type DocumentView = z.infer<typeof DocumentView>;

export const DocumentDetailView = DocumentView.extend({
  files: z.array(DocumentFileView).describe('Every version, newest first, per locale'),
});
export type DocumentDetailView = z.infer<typeof DocumentDetailView>;

export const DocumentPage = z.object({ items: z.array(DocumentView), nextCursor: z.string().nullable() });
