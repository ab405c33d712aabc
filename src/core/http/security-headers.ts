import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
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

/**
 * Strict CSP: no inline script at all; inline style only by per-response nonce (and style attributes).
 * `styleNonce` absent: style-src is 'self' alone, for every answer that has no inline `<style>`.
 */
export function securityHeaders(config: Pick<Config, 'secureCookies'>, styleNonce?: string): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: styleNonce ? ["'self'", `'nonce-${styleNonce}'`] : ["'self'"],
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

/** The headers helmet would set with `options`, computed by running it once against a stand-in response. */
function headersOf(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  if (!headers['content-security-policy']) throw new Error('helmet produced no Content-Security-Policy');
  return headers;
}

/**
 * The security headers of every answer without inline style, computed once: helmet (the library
 * decides the header values) run a single time at start, instead of @fastify/helmet's per-request
 * middleware and a random nonce for every JSON answer, which together were ~6 % of an API read.
 */
export function staticSecurityHeaders(config: Pick<Config, 'secureCookies'>): Record<string, string> {
  return Object.freeze(headersOf(securityHeaders(config))) as Record<string, string>;
}

/**
 * Gives this answer a CSP that allows its inline `<style>` by a fresh nonce, and returns the nonce to
 * write into the page. Only HTML that carries inline style (the admin app's index) needs it.
 */
export function grantStyleNonce(reply: FastifyReply, config: Pick<Config, 'secureCookies'>): string {
  const nonce = styleNonceOf(reply.raw);
  const csp = headersOf(securityHeaders(config, nonce))['content-security-policy'];
  if (csp) reply.header('content-security-policy', csp);
  return nonce;
}

/** Every answer carries the static security headers; a route may override one (swagger-ui's CSP). */
export function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'secureCookies'>): void {
  const headers = staticSecurityHeaders(config);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
