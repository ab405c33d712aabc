import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A rendered response kept in memory with its compressed forms, so serving it costs no rendering or zlib. */
export type CachedPage = {
  status: number;
  contentType: string;
  contentLanguage?: string;
  cacheControl: string;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
};

/**
 * Renders and compresses a page once. The ETag is weak (`W/`): the same for every encoding of the
 * same bytes, as RFC 9110 §8.8.1 allows for representations that differ only by content coding.
 */
export function preparePage(
  body: string | Buffer,
  options: { status?: number; contentType: string; contentLanguage?: string; cacheControl?: string },
): CachedPage {
  const identity = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 22);
  return {
    status: options.status ?? 200,
    contentType: options.contentType,
    contentLanguage: options.contentLanguage,
    cacheControl: options.cacheControl ?? 'public, no-cache',
    etag: `W/"${hash}"`,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  };
}

/** Pages by key, emptied as a whole when a publication replaces them or when it grows past `maxEntries`. */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  constructor(private readonly maxEntries = 2_000) {}

  get(key: string): CachedPage | undefined {
    return this.pages.get(key);
  }

  getOrCreate(key: string, make: () => CachedPage): CachedPage {
    const found = this.pages.get(key);
    if (found) return found;
    if (this.pages.size >= this.maxEntries) this.pages.clear();
    const page = make();
    this.pages.set(key, page);
    return page;
  }

  clear(): void {
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}

/** The content coding to send: brotli, then gzip, when the client accepts it (q > 0); else none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    accepted.add(coding.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

/** RFC 9110 §13.1.2 weak comparison: does If-None-Match name this ETag (or `*`)? */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === bare;
  });
}

/** Answers with a cached page: 304 on a matching If-None-Match, else the best encoding's bytes. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  reply
    .header('etag', page.etag)
    .header('cache-control', page.cacheControl)
    .header('vary', 'Accept-Encoding');
  if (page.contentLanguage) reply.header('content-language', page.contentLanguage);
  if (page.status === 200 && matchesEtag(request.headers['if-none-match'], page.etag)) {
    return reply.status(304).send();
  }
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  reply.status(page.status).type(page.contentType);
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.identity);
}
