import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { ProblemView, problemResponses } from '../../core/http/fields.ts';
import { Problem, problems } from '../../core/http/problem.ts';
import { MAX_FILE_BYTES, previewDocumentFile, type Upload, uploadDocumentFile } from './documents.files.ts';
import { documentProblems } from './documents.problems.ts';
import {
  CreateDocumentBody,
  DocumentDetailView,
  DocumentFileParams,
  DocumentFileView,
  DocumentPage,
  DocumentParams,
  ListDocumentsQuery,
  UpdateDocumentBody,
  UploadFields,
} from './documents.schemas.ts';
import {
  archiveDocument,
  createDocument,
  getDocument,
  listDocuments,
  updateDocument,
} from './documents.service.ts';
import { contentDisposition, FILE_HEADERS } from './downloads.headers.ts';

const tags = ['trust: documents'];

/** Types a browser shows safely in a sandboxed tab; everything else is previewed as a download. */
const INLINE_TYPES = /^(application\/pdf|image\/png|image\/jpeg|text\/plain|text\/csv)\b/;

/** The admin API for trust-center documents and their files, under /api/v1/trust/documents. */
export function documentsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    await plugin.register(fastifyMultipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4, fieldSize: 100, parts: 5, headerPairs: 50 },
    });
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/documents',
      {
        config: { permission: 'trust.content.read' },
        schema: {
          operationId: 'listTrustDocuments',
          tags,
          querystring: ListDocumentsQuery,
          response: { 200: DocumentPage, ...problemResponses },
        },
      },
      (request) => listDocuments(ctx, request.query),
    );

    app.post(
      '/documents',
      {
        config: { permission: 'trust.content.manage' },
        schema: {
          operationId: 'createTrustDocument',
          tags,
          body: CreateDocumentBody,
          response: { 201: DocumentDetailView, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createDocument(ctx, request.actor, request.body)),
    );

    app.get(
      '/documents/:documentId',
      {
        config: { permission: 'trust.content.read' },
        schema: {
          operationId: 'getTrustDocument',
          tags,
          params: DocumentParams,
          response: { 200: DocumentDetailView, ...problemResponses },
        },
      },
      (request) => getDocument(ctx, request.params.documentId),
    );

    app.patch(
      '/documents/:documentId',
      {
        config: { permission: 'trust.content.manage' },
        schema: {
          operationId: 'updateTrustDocument',
          tags,
          params: DocumentParams,
          body: UpdateDocumentBody,
          response: { 200: DocumentDetailView, ...problemResponses },
        },
      },
      (request) => updateDocument(ctx, request.actor, request.params.documentId, request.body),
    );

    app.post(
      '/documents/:documentId/archive',
      {
        config: { permission: 'trust.content.manage' },
        schema: {
          operationId: 'archiveTrustDocument',
          tags,
          params: DocumentParams,
          response: { 200: DocumentDetailView, ...problemResponses },
        },
      },
      (request) => archiveDocument(ctx, request.actor, request.params.documentId),
    );

    app.post(
      '/documents/:documentId/files',
      {
        config: { permission: 'trust.content.manage', rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          operationId: 'uploadTrustDocumentFile',
          tags,
          description: `multipart/form-data: a part \`file\` (at most ${MAX_FILE_BYTES} bytes: PDF, PNG, JPEG, DOCX, XLSX, ZIP or UTF-8 text) and optionally \`locale\` (en, es, fr; absent = every locale without its own file). Adds a version; the newest per locale is current.`,
          consumes: ['multipart/form-data'],
          params: DocumentParams,
          response: { 201: DocumentFileView, 413: ProblemView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request);
        return reply
          .status(201)
          .send(await uploadDocumentFile(ctx, request.actor, request.params.documentId, upload));
      },
    );

    app.get(
      '/documents/:documentId/files/:fileId',
      {
        config: { permission: 'trust.content.read' },
        schema: {
          operationId: 'previewTrustDocumentFile',
          tags,
          description: 'The stored file as uploaded (no watermark), for staff. Recorded in the audit log.',
          params: DocumentFileParams,
          response: { 200: z.any().describe('The file, with its own Content-Type'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const { file, bytes } = await previewDocumentFile(
          ctx,
          request.actor,
          request.params.documentId,
          request.params.fileId,
        );
        const disposition = INLINE_TYPES.test(file.contentType) ? 'inline' : 'attachment';
        return reply
          .headers(FILE_HEADERS)
          .header('content-type', file.contentType)
          .header('content-disposition', contentDisposition(disposition, file.fileName))
          .send(bytes);
      },
    );
  };
}

/**
 * Reads the multipart body: exactly one part named `file`, and the optional field `locale`. Limits are
 * enforced while streaming (a file past MAX_FILE_BYTES stops the read with 413).
 */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw documentProblems.fileMissing();
  let file: Omit<Upload, 'locale'> | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw problems.malformedBody(
            `Unexpected file part ${JSON.stringify(part.fieldname)}; name it "file".`,
          );
        }
        file = { fileName: part.filename, declaredType: part.mimetype, bytes: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    throw toUploadProblem(error);
  }
  if (!file) throw documentProblems.fileMissing();
  const parsed = UploadFields.safeParse(fields);
  if (!parsed.success) {
    throw problems.validation(
      parsed.error.issues.map((issue) => ({
        in: 'body',
        pointer: issue.path.length ? `/${issue.path.join('/')}` : '/',
        detail: issue.message,
      })),
    );
  }
  return { ...file, locale: parsed.data.locale ?? null };
}

function toUploadProblem(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return documentProblems.fileTooLarge(MAX_FILE_BYTES);
    case 'FST_FILES_LIMIT':
      return problems.malformedBody('Send one file per upload.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return problems.malformedBody('Too many form fields; send only "file" and optionally "locale".');
    case 'FST_PROTO_VIOLATION':
    case 'FST_MP_PREMATURE_CLOSE':
      return problems.malformedBody('The multipart body is malformed or was cut short.');
    default:
      // Anything else while reading parts is the body's fault (busboy: "Unexpected end of form",
      // "Malformed part header"); a problem we threw ourselves passes through.
      return error instanceof Problem
        ? error
        : problems.malformedBody('The multipart body could not be read.');
  }
}
