import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { locales } from '../../core/i18n/index.ts';
import { type CachedPage, PageCache, preparePage, sendPage } from '../../trust/index.ts';
import { onProgramKeysChanged } from '../program/program.keys.ts';
import {
  loadRenderState,
  policyContextOf,
  type RenderState,
  renderSecurityTxt,
} from '../program/program.renders.ts';
import { findPublishedProgram, hasRealContact, onProgramPublished } from '../program/program.service.ts';
import { PROGRAM_PATHS } from '../program/program.urls.ts';
import { frameKey, renderPolicyPage } from './policy.page.ts';
import { renderPolicyBody } from './policy.render.ts';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
// Public pages are not API operations: they stay out of the OpenAPI document. Their security headers are
// the app's static set (core/http/security-headers.ts), set once for every answer.
const hidden = { schema: { hide: true } };

/** How long a process trusts its copy of the key and advisory state; other processes' changes show within it. */
const REVALIDATE_MS = 2_000;

/** The organization's facts a render shows (they change without a new version): part of every cache key. */
function organizationKey(source: { companyName: string; contacts: { value: string }[] }): string {
  return `${source.companyName}|${source.contacts.map((contact) => contact.value).join(',')}`;
}

/** Today in UTC (YYYY-MM-DD): security.txt's Expires moves with it, so it is part of that cache key. */
function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The program's public files: the policy page per locale, `/.well-known/security.txt` (signed when a
 * key is active), `/security.txt` → there, and the public key. Rendered once per (version, key, …)
 * and kept precompressed in memory with an ETag; emptied when a version is published or a key changes.
 */
export function policySiteRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const cache = new PageCache(200);
    let state: { value: RenderState; checkedAt: number } | undefined;
    const forget = () => {
      cache.clear();
      state = undefined;
    };
    const unsubscribers = [
      onProgramPublished((_program, publishedCtx) => publishedCtx === ctx && forget()),
      onProgramKeysChanged((changedCtx) => changedCtx === ctx && forget()),
    ];
    app.addHook('onClose', async () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    });
    // Visitors get no cookie from these pages, whatever another plugin might try to set.
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.removeHeader('set-cookie');
      done(null, payload);
    });

    const renderState = async (): Promise<RenderState> => {
      if (state && Date.now() - state.checkedAt < REVALIDATE_MS) return state.value;
      const value = await loadRenderState(ctx);
      state = { value, checkedAt: Date.now() };
      return value;
    };

    const serve = async (
      request: FastifyRequest,
      reply: FastifyReply,
      key: string,
      make: () => Promise<CachedPage>,
    ): Promise<FastifyReply> => {
      let page = cache.get(key);
      if (!page) {
        const made = await make();
        page = cache.getOrCreate(key, () => made);
      }
      return sendPage(request, reply, page);
    };

    for (const locale of locales) {
      app.get(`/${locale}${PROGRAM_PATHS.policy}`, hidden, async (request, reply) => {
        // Nothing is public before the first publish (the owner has not said it yet).
        const program = await findPublishedProgram(ctx);
        if (!program) return reply.callNotFound();
        const current = await renderState();
        const key = `policy|${program.version}|${organizationKey(program.source)}|${current.key?.fingerprint ?? '-'}|${await frameKey(ctx, locale)}|${locale}`;
        return serve(request, reply, key, async () => {
          const body = renderPolicyBody(program.source, locale, policyContextOf(ctx, program, current));
          const html = await renderPolicyPage(ctx, program.source, locale, body);
          return preparePage(html, { contentType: HTML, contentLanguage: locale });
        });
      });
    }

    app.get(PROGRAM_PATHS.securityTxt, hidden, async (request, reply) => {
      // 404 until a published program names a contact that reaches someone (never security@localhost).
      const program = await findPublishedProgram(ctx);
      if (!program || !hasRealContact(program.source)) return reply.callNotFound();
      const current = await renderState();
      const now = new Date();
      const key = `security.txt|${program.version}|${organizationKey(program.source)}|${current.key?.fingerprint ?? '-'}|${current.csaf}|${utcDay(now)}`;
      return serve(request, reply, key, async () =>
        preparePage(await renderSecurityTxt(ctx, program.source, current, now), { contentType: TEXT }),
      );
    });

    // RFC 9116 §3: the file lives under /.well-known/; the legacy top-level path redirects there.
    app.get('/security.txt', hidden, (_request, reply) => reply.redirect(PROGRAM_PATHS.securityTxt, 301));

    app.get(PROGRAM_PATHS.publicKey, hidden, async (request, reply) => {
      const current = await renderState();
      const active = current.key;
      if (!active) return reply.callNotFound();
      return serve(request, reply, `public-key|${active.fingerprint}`, async () =>
        preparePage(active.publicKey, { contentType: TEXT }),
      );
    });
  };
}
