import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { type Actor, asVisitor } from '../../core/http/actor.ts';
import { formatDateTime, type Locale, translate } from '../../core/i18n/index.ts';
import {
  type AuthorizedVisitor,
  authorizeDownload,
  findVisitorAccess,
  visitorView,
} from '../access/grants.service.ts';
import { recordTrustEvent } from '../events.ts';
import type { SiteDocument } from '../publication/publication.schemas.ts';
import { getPublishedSite, type PublishedSite } from '../publication/publication.service.ts';
import { readStoredFile, StoredFileUnavailable } from './documents.files.ts';
import { isOffered } from './documents.service.ts';
import { type DocumentFileRow, findCurrentFiles, findDocument, findFilesByIds } from './documents.store.ts';
import { isStamped, stampPdf } from './watermark.ts';

export type DownloadRequest = {
  locale: Locale;
  slug: string;
  /** The visitor's access token from their personal page; absent for a public download. */
  accessToken?: string;
};

export type PreparedDownload = {
  downloadId: string;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
};

/**
 * The one path every download takes: check access → pick the file (the visitor's locale, else the file
 * for every locale, else the default locale's) → stamp PDFs on every page → record the download (analytics event and audit entry,
 * committed before a byte is sent) → hand back the bytes.
 *
 * - Without a token only `public` documents the published site lists are served; their stamp names no
 *   one (nobody is known) but carries the time and the download id, which the recorded event ties to
 *   the client's address.
 * - With a token, `request`/`nda` documents go through ACCESS's `authorizeDownload`; a `public` one needs
 *   only a live token. The stamp names the visitor, their company and e-mail, the UTC time and the id.
 *
 * @throws StoredFileUnavailable when the chosen file's bytes are missing or don't decrypt (recorded in
 *   the audit log first); the caller answers 404 and logs it.
 * @returns undefined whenever the caller must answer 404: unknown slug, archived, outside its validity
 *   window, wrong access level for the path, unknown/expired/revoked token or grant, or no file for the
 *   locale. Which of these it was is never told.
 */
export async function prepareDownload(
  ctx: AppContext,
  actor: Actor,
  input: DownloadRequest,
): Promise<PreparedDownload | undefined> {
  const q = ctx.database.db;
  const now = new Date();
  const site = await getPublishedSite(ctx);
  // Visitors reach only what the latest publication offers, at the level it shows: the draft row's
  // level, slug, dates and newer files wait for the next publish.
  const published = site?.documents.find((listed) => listed.slug === input.slug);
  if (!site || !published) return undefined;
  // Archiving withdraws a document at once, before any publish (withdrawing never widens access).
  const live = await findDocument(q, published.id);
  if (!live || !isOffered({ ...published, archivedAt: live.archivedAt }, now)) return undefined;
  const access = await authorize(ctx, published, input.accessToken, now);
  if (!access) return undefined;
  const file = await pickFile(ctx, site, published, input.locale);
  if (!file) return undefined;

  const downloadId = randomUUID();
  const stored = await readStoredFile(ctx, file).catch(async (error: unknown) => {
    if (error instanceof StoredFileUnavailable) {
      // The visitor gets the same 404 as for anything else; the admin finds the cause in the audit log
      // (and the documents list flags missing files).
      await recordAudit(q, actor, {
        action: 'trust.document.file-unavailable',
        targetType: 'trust-document',
        targetId: published.id,
        details: { slug: published.slug, fileId: file.id, version: file.version, reason: error.reason },
      });
    }
    throw error;
  });
  const watermarked = isStamped(file.contentType);
  const bytes = watermarked
    ? await stampPdf(stored, stampLines(input.locale, access.visitor, now, downloadId))
    : stored;

  await q.transaction(async (tx) => {
    await recordTrustEvent(tx, {
      type: 'downloaded',
      visitorId: access.visitor?.id,
      company: access.visitor?.company,
      documentId: published.id,
      downloadId,
      locale: input.locale,
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    await recordAudit(tx, access.visitor ? asVisitor(actor, access.visitor.id) : actor, {
      action: 'trust.document.downloaded',
      targetType: 'trust-document',
      targetId: published.id,
      details: {
        downloadId,
        slug: published.slug,
        fileId: file.id,
        version: file.version,
        locale: input.locale,
        watermarked,
        // Ids only: the audit log can't be erased, so the visitor's name and e-mail stay out of it.
        visitorId: access.visitor?.id ?? null,
        grantId: access.grantId,
      },
    });
  });
  return { downloadId, fileName: file.fileName, contentType: file.contentType, bytes };
}

type Access = { visitor: AuthorizedVisitor | undefined; grantId: string | null };

/** Access at the published level: public for anyone, request/nda through ACCESS's `authorizeDownload`. */
async function authorize(
  ctx: AppContext,
  document: SiteDocument,
  accessToken: string | undefined,
  now: Date,
): Promise<Access | undefined> {
  const level = document.accessLevel;
  if (accessToken === undefined)
    return level === 'public' ? { visitor: undefined, grantId: null } : undefined;
  if (level === 'public') {
    const access = await findVisitorAccess(ctx.database.db, accessToken, now);
    return access ? { visitor: visitorView(access.visitor), grantId: null } : undefined;
  }
  const granted = await authorizeDownload(ctx, { accessToken, documentId: document.id, accessLevel: level });
  return granted ? { visitor: granted.visitor, grantId: granted.grantId } : undefined;
}

/**
 * The published file in the visitor's locale, else the file for every locale, else the file in the site's
 * default locale (as texts fall back to it): with English as the default, an English-only DPA is still
 * offered on /fr/. A publication pins file versions; an older snapshot without them offers the current
 * file of each locale it listed.
 */
async function pickFile(
  ctx: AppContext,
  site: PublishedSite,
  document: SiteDocument,
  locale: Locale,
): Promise<DocumentFileRow | undefined> {
  const q = ctx.database.db;
  const offered = document.files
    ? await findFilesByIds(
        q,
        document.id,
        document.files.map((file) => file.id),
      )
    : (await findCurrentFiles(q, [document.id])).filter((file) =>
        file.locale === null ? document.hasDefaultFile : document.fileLocales.includes(file.locale as Locale),
      );
  const inLocale = (wanted: string | null) => offered.find((file) => file.locale === wanted);
  return inLocale(locale) ?? inLocale(null) ?? inLocale(site.profile.defaultLocale);
}

/** The stamp's lines in the visitor's language; the time is UTC, written the way that language writes it. */
export function stampLines(
  locale: Locale,
  visitor: Pick<AuthorizedVisitor, 'name' | 'company' | 'email'> | undefined,
  at: Date,
  downloadId: string,
): string[] {
  const time = formatDateTime(locale, at, 'UTC');
  if (!visitor) return [translate(locale, 'trust-documents:watermark.public', { time, downloadId })];
  return [
    translate(locale, 'trust-documents:watermark.recipient', {
      name: visitor.name,
      company: visitor.company,
      email: visitor.email,
    }),
    translate(locale, 'trust-documents:watermark.details', { time, downloadId }),
  ];
}
