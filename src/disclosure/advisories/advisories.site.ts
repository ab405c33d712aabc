import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { problems } from '../../core/http/problem.ts';
import { type Locale, locales } from '../../core/i18n/index.ts';
import {
  addSitemapSource,
  type CachedPage,
  frameFor,
  getPublishedSite,
  PageCache,
  preparePage,
  registerHtmlErrors,
  sendPage,
} from '../../trust/index.ts';
import { toOsv } from '../exports/export-osv.ts';
import {
  CSAF_KEYS_DIR,
  CSAF_WHITE_DIR,
  changesCsv,
  directoryListing,
  indexTxt,
  providerMetadata,
  whiteDirectoryNames,
  yearDirectoryNames,
} from './advisories.csaf-feed.ts';
import {
  type AdvisoryData,
  CSAF_PROVIDER_METADATA_PATH,
  csafFileName,
  csafYear,
} from './advisories.export.ts';
import { renderAdvisoryList, renderAdvisoryPage, renderHallOfFame } from './advisories.pages.ts';
import {
  csafText,
  latestRevisions,
  type PublishedRevision,
  publicKeyByFingerprint,
} from './advisories.revisions.ts';
import { IDENTIFIER } from './advisories.schemas.ts';
import { freezeUnfrozenAdvisories, liveAdvisoryData, publisherOf } from './advisories.service.ts';
import {
  type AdvisoryRow,
  creditedStamp,
  findPublishedAdvisories,
  publishedStamp,
} from './advisories.store.ts';
import { hallOfFame } from './hall-of-fame.ts';

const HTML = 'text/html; charset=utf-8';
/** JSON is UTF-8 by definition (RFC 8259): CSAF providers must answer exactly `application/json`. */
const JSON_TYPE = 'application/json';
const SIGNATURE_TYPE = 'application/pgp-signature';
const KEY_FILE = /^([0-9A-F]{40,64})\.asc$/;
// Public pages are not API operations: they stay out of the OpenAPI document. Their security headers are
// the app's static set (core/http/security-headers.ts), set once for every answer.
const hidden = { schema: { hide: true } };
/** Machine-readable files are fetched by tools from anywhere, including browsers on other origins. */
const OPEN = { 'access-control-allow-origin': '*' };

type Published = {
  stamp: string;
  advisories: AdvisoryData[];
  /** Each published advisory's latest frozen revision, by identifier. */
  entries: Map<string, PublishedRevision>;
  /** Fingerprints of the keys that signed the documents served now. */
  signingKeys: string[];
};

/**
 * The public side of advisories: `/{locale}/security/advisories[/{identifier}]`, the hall of fame at
 * `/{locale}/security/thanks`, OSV records at `/security/osv/{identifier}.json`, and the CSAF provider
 * (`/.well-known/csaf/…`). Cookie-free, rendered once per state of the published advisories, kept
 * compressed in memory, answered with ETag/304.
 */
export function advisorySiteRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const cache = new PageCache(500);
    try {
      const frozen = await freezeUnfrozenAdvisories(ctx);
      if (frozen > 0) app.log.info({ frozen }, 'froze the revisions of advisories published before freezing');
    } catch (error) {
      // Never a reason not to start: those advisories are served from their rows until the next start.
      app.log.error({ err: error }, 'could not freeze the revisions of earlier published advisories');
    }
    const db = ctx.database.db;
    registerHtmlErrors(app, ctx);
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.removeHeader('set-cookie');
      done(null, payload);
    });

    /** The trust center's publication: the pages' header (company name, logo) comes from it. */
    const siteVersion = async () => (await getPublishedSite(ctx))?.version ?? 0;
    let memo: Published | undefined;
    /** An advisory published before revisions were frozen: rendered from its row, unsigned. */
    const unfrozenRevision = async (row: AdvisoryRow): Promise<PublishedRevision> => {
      const advisory = await liveAdvisoryData(db, row);
      const publisher = await publisherOf(ctx, db);
      return {
        advisory,
        publisher,
        csaf: csafText(advisory, publisher),
        csafSignature: null,
        signingKeyFingerprint: null,
      };
    };
    /** The published advisories, reloaded only when their stamp (count, last change) moves. */
    const published = async (): Promise<Published> => {
      const stamp = await publishedStamp(db);
      if (memo?.stamp === stamp) return memo;
      const rows = await findPublishedAdvisories(db);
      const frozen = await latestRevisions(
        db,
        rows.map((row) => row.id),
      );
      const entries = new Map<string, PublishedRevision>();
      for (const row of rows) {
        entries.set(row.identifier, frozen.get(row.id) ?? (await unfrozenRevision(row)));
      }
      const advisories = [...entries.values()].map((entry) => entry.advisory);
      const signingKeys = [
        ...new Set([...entries.values()].flatMap((entry) => entry.signingKeyFingerprint ?? [])),
      ].sort();
      memo = { stamp, advisories, entries, signingKeys };
      return memo;
    };

    // Each published advisory's page is in the sitemap, listed as soon as it is published.
    const removeSitemapSource = addSitemapSource(ctx, async () => {
      const state = await published();
      return {
        stamp: state.stamp,
        paths: state.advisories.map((advisory) => `/security/advisories/${advisory.identifier}`),
      };
    });
    app.addHook('onClose', async () => {
      removeSitemapSource();
    });

    const serve = async (
      request: FastifyRequest,
      reply: FastifyReply,
      key: string,
      make: () => Promise<CachedPage | undefined>,
    ) => {
      let page = cache.get(key);
      if (!page) {
        const made = await make();
        if (!made) throw problems.notFound('This page');
        page = cache.getOrCreate(key, () => made);
      }
      return sendPage(request, reply, page);
    };
    const html = (locale: Locale, body: string) =>
      preparePage(body, { contentType: HTML, contentLanguage: locale });
    const file = (body: string, contentType: string) =>
      preparePage(body, { contentType, cacheControl: 'public, max-age=300' });
    const withCors = (reply: FastifyReply) => reply.headers(OPEN);

    for (const locale of locales) {
      app.get(`/${locale}/security/advisories`, hidden, async (request, reply) => {
        const state = await published();
        const key = `${state.stamp}|${await siteVersion()}|${locale}|list`;
        return serve(request, reply, key, async () =>
          html(locale, renderAdvisoryList(await frameFor(ctx, locale), state.advisories)),
        );
      });

      app.get<{ Params: { identifier: string } }>(
        `/${locale}/security/advisories/:identifier`,
        hidden,
        async (request, reply) => {
          const { identifier } = request.params;
          if (!IDENTIFIER.test(identifier)) throw problems.notFound('This advisory');
          const state = await published();
          const key = `${state.stamp}|${await siteVersion()}|${locale}|${identifier}`;
          return serve(request, reply, key, async () => {
            const advisory = state.advisories.find((a) => a.identifier === identifier);
            return advisory && html(locale, renderAdvisoryPage(await frameFor(ctx, locale), advisory));
          });
        },
      );

      app.get(`/${locale}/security/thanks`, hidden, async (request, reply) => {
        const stamp = await creditedStamp(db);
        const key = `thanks|${stamp}|${await siteVersion()}|${locale}`;
        return serve(request, reply, key, async () =>
          html(locale, renderHallOfFame(await frameFor(ctx, locale), await hallOfFame(ctx, db))),
        );
      });
    }

    app.get<{ Params: { file: string } }>('/security/osv/:file', hidden, async (request, reply) => {
      const identifier = request.params.file.replace(/\.json$/, '');
      if (!request.params.file.endsWith('.json') || !IDENTIFIER.test(identifier)) {
        throw problems.notFound('This OSV record');
      }
      const state = await published();
      return serve(request, withCors(reply), `${state.stamp}|osv|${identifier}`, async () => {
        const entry = state.entries.get(identifier);
        if (!entry) return undefined;
        const document = toOsv(entry.advisory, entry.publisher);
        return file(`${JSON.stringify(document, null, 2)}\n`, JSON_TYPE);
      });
    });

    app.get(CSAF_PROVIDER_METADATA_PATH, hidden, async (request, reply) => {
      const state = await published();
      const publisher = await publisherOf(ctx, db);
      const key = `${state.stamp}|csaf-metadata|${publisher.name}`;
      return serve(request, withCors(reply), key, async () => {
        const keys = state.signingKeys.map((fingerprint) => ({
          fingerprint,
          url: `${publisher.publicUrl}${CSAF_KEYS_DIR}${fingerprint}.asc`,
        }));
        const document = providerMetadata(publisher, state.advisories, keys);
        return file(`${JSON.stringify(document, null, 2)}\n`, JSON_TYPE);
      });
    });

    app.get('/.well-known/csaf/white', hidden, (_request, reply) => reply.redirect(CSAF_WHITE_DIR, 301));
    app.get(CSAF_WHITE_DIR, hidden, async (request, reply) => {
      const state = await published();
      return serve(request, reply, `${state.stamp}|csaf-dir`, async () =>
        file(directoryListing(CSAF_WHITE_DIR, whiteDirectoryNames(state.advisories)), HTML),
      );
    });
    app.get(`${CSAF_WHITE_DIR}index.txt`, hidden, async (request, reply) => {
      const state = await published();
      return serve(request, withCors(reply), `${state.stamp}|csaf-index`, async () =>
        file(indexTxt(state.advisories), 'text/plain; charset=utf-8'),
      );
    });
    app.get(`${CSAF_WHITE_DIR}changes.csv`, hidden, async (request, reply) => {
      const state = await published();
      return serve(request, withCors(reply), `${state.stamp}|csaf-changes`, async () =>
        file(changesCsv(state.advisories), 'text/csv; charset=utf-8'),
      );
    });
    app.get<{ Params: { year: string } }>(`${CSAF_WHITE_DIR}:year/`, hidden, async (request, reply) => {
      const year = Number(request.params.year);
      const state = await published();
      const signed = (identifier: string) => Boolean(state.entries.get(identifier)?.csafSignature);
      const names = /^\d{4}$/.test(request.params.year)
        ? yearDirectoryNames(state.advisories, year, signed)
        : [];
      if (names.length === 0) throw problems.notFound('This folder');
      return serve(request, reply, `${state.stamp}|csaf-year|${year}`, async () =>
        file(directoryListing(`${CSAF_WHITE_DIR}${year}/`, names), HTML),
      );
    });
    app.get<{ Params: { year: string; file: string } }>(
      `${CSAF_WHITE_DIR}:year/:file`,
      hidden,
      async (request, reply) => {
        const { year, file: name } = request.params;
        const state = await published();
        const match = /^(.+\.json)(\.sha256|\.sha512|\.asc)?$/.exec(name);
        const advisory = state.advisories.find(
          (a) => String(csafYear(a)) === year && csafFileName(a.identifier) === match?.[1],
        );
        const entry = advisory && state.entries.get(advisory.identifier);
        if (!match || !entry) throw problems.notFound('This CSAF document');
        if (match[2] === '.asc' && !entry.csafSignature) throw problems.notFound('This signature');
        return serve(request, withCors(reply), `${state.stamp}|csaf|${year}/${name}`, async () => {
          // The frozen document, byte for byte: its hashes and signature were made over these bytes.
          const document = entry.csaf;
          if (!match[2]) return file(document, JSON_TYPE);
          if (match[2] === '.asc') return file(entry.csafSignature as string, SIGNATURE_TYPE);
          const digest = createHash(match[2].slice(1)).update(document).digest('hex');
          return file(`${digest}  ${match[1]}\n`, 'text/plain; charset=utf-8');
        });
      },
    );

    // The public keys that signed the documents served now (listed in provider-metadata.json).
    app.get<{ Params: { file: string } }>(`${CSAF_KEYS_DIR}:file`, hidden, async (request, reply) => {
      const fingerprint = KEY_FILE.exec(request.params.file)?.[1];
      const state = await published();
      if (!fingerprint || !state.signingKeys.includes(fingerprint)) throw problems.notFound('This key');
      return serve(request, withCors(reply), `csaf-key|${fingerprint}`, async () => {
        const armored = await publicKeyByFingerprint(db, fingerprint);
        return armored === undefined ? undefined : file(armored, 'application/pgp-keys');
      });
    });
  };
}
