import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { Config } from '../config/config.ts';

const STYLE_NONCE = Symbol('attest.styleNonce');

/**
 * The response's CSP nonce for `<style>` tags (128 random bits, hex), made on first use and then
 * the same for the header and the page. There is no script nonce: no inline script runs at all.
 */
export function styleNonceOf(res: ServerResponse): string {
  const holder = res as ServerResponse & { [STYLE_NONCE]?: string };
  holder[STYLE_NONCE] ??= randomBytes(16).toString('hex');
  return holder[STYLE_NONCE];
}

/** Strict CSP: no inline script at all; inline style only by per-response nonce (and style attributes). */
export function securityHeaders(config: Pick<Config, 'secureCookies'>): FastifyHelmetOptions {
  return {
    // Not helmet's enableCSPNonces: it puts a nonce in script-src too, which this policy never wants.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", (_request, response) => `'nonce-${styleNonceOf(response as ServerResponse)}'`],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  };
}
