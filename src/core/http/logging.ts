import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import type { Config } from '../config/config.ts';
import { prettyLogStream, resolveLogFormat } from './log-format.ts';

/**
 * What the server log may say about a request. Secret links (follow, portal, sign-in, confirmation,
 * unsubscribe and access links; password-reset, invitation and setup links of the admin app) carry their
 * token in the path or the query string, so every URL is logged with its secrets replaced, and no header
 * is logged at all (pino's redact is a second line should a serializer ever add them).
 */
export const REDACTED = '[redacted]';

/** Route parameters that hold a secret: `:token`, `:accessToken`, and any future `…Token`/`…Secret`. */
const SECRET_PARAM = /(^token$|token$|secret$|^key$)/i;
/** Query parameters that hold a secret wherever they appear. */
const SECRET_QUERY = /(token|secret|password|passcode|^key$|^code$|signature|^sig$)/i;
/**
 * A path segment shaped like a token even where no route matched (a mistyped or expired link answered
 * 404): 32+ URL-safe characters. Tokens are 43 (32 random bytes, base64url); UUIDs are ids, not secrets.
 */
const TOKEN_SHAPED = /^[A-Za-z0-9_-]{32,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0) return pair;
      let name = pair.slice(0, at);
      try {
        name = decodeURIComponent(name.replaceAll('+', ' '));
      } catch {
        // An undecodable name is logged as sent; its value is redacted below only if the raw name matches.
      }
      return SECRET_QUERY.test(name) ? `${pair.slice(0, at)}=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * `url` with every secret replaced: the route's secret parameters (by the matched pattern), any
 * token-shaped segment, and secret query parameters. The fragment never reaches the server.
 */
export function redactUrl(url: string, route?: { pattern?: string; params?: unknown }): string {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : url.slice(queryAt + 1);
  const patternSegments = route?.pattern?.split('/');
  const segments = path.split('/').map((segment, index) => {
    const placeholder = patternSegments?.[index];
    if (placeholder?.startsWith(':') && SECRET_PARAM.test(placeholder.slice(1))) return REDACTED;
    if (TOKEN_SHAPED.test(segment) && !UUID.test(segment)) return REDACTED;
    // Percent-encoded tokens (a link copied oddly) are still tokens once decoded.
    if (segment.includes('%')) {
      try {
        const decoded = decodeURIComponent(segment);
        if (TOKEN_SHAPED.test(decoded) && !UUID.test(decoded)) return REDACTED;
      } catch {
        return segment;
      }
    }
    return segment;
  });
  const redactedPath = segments.join('/');
  return queryAt < 0 ? redactedPath : `${redactedPath}?${redactQuery(query)}`;
}

/** Pino's serializer of a request: Fastify's default fields, the URL redacted. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url, { pattern: request.routeOptions?.url }),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

const HEADER_PATHS = ['authorization', 'cookie', '"set-cookie"', '"x-csrf-token"', '"x-hub-signature-256"'];

/**
 * The logger options of the server: level from LOG_LEVEL, requests serialized without secrets, and
 * credentials-bearing headers censored wherever a log line might carry them. `overrides` (tests: a
 * stream to read the log from) cannot turn the redaction off.
 */
export function loggerOptions(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
  overrides?: FastifyServerOptions['logger'],
  terminal: { isTTY?: boolean; write(text: string): unknown } = process.stdout,
): FastifyServerOptions['logger'] {
  if (overrides === false) return false;
  const base = typeof overrides === 'object' && overrides !== null ? overrides : {};
  // Readable lines on a terminal (or when asked): pino still serializes and redacts; only the last step differs.
  const pretty =
    !('stream' in base) && resolveLogFormat(config.logFormat ?? 'auto', terminal.isTTY === true) === 'pretty';
  return {
    level: config.logLevel,
    ...(pretty
      ? { stream: prettyLogStream(terminal as NodeJS.WritableStream, { color: terminal.isTTY === true }) }
      : terminal !== process.stdout && !('stream' in base)
        ? { stream: terminal }
        : {}),
    ...base,
    serializers: { ...('serializers' in base ? base.serializers : {}), req: serializeRequest },
    redact: {
      paths: HEADER_PATHS.flatMap((name) => [
        `req.headers.${name}`,
        `res.headers.${name}`,
        `headers.${name}`,
        `request.headers.${name}`,
      ]),
      censor: REDACTED,
    },
  } as FastifyServerOptions['logger'];
}

/** Health checks and static files: at info level they would bury everything else, so they log at debug. */
const QUIET_PATH =
  /^\/healthz$|^\/app\/assets\/|^\/assets\/|^\/favicon|\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf)$/;

export function isQuietRequest(url: string): boolean {
  const queryAt = url.indexOf('?');
  return QUIET_PATH.test(queryAt < 0 ? url : url.slice(0, queryAt));
}

/** Whether debug lines are written: pino's numeric level (debug is 20); unknown loggers are asked anyway. */
function isDebugOn(log: FastifyRequest['log']): boolean {
  const level = (log as { levelVal?: number }).levelVal;
  return level === undefined || level <= 20;
}

/** A request slower than this is logged at info (warn) whatever it was: slowness is worth seeing. */
export const SLOW_REQUEST_MS = 500;

/**
 * Whether a successful request's line goes to debug rather than info: health checks and static files,
 * and every public page read (GET/HEAD outside /api/ answered below 400) — served from memory, a line
 * each cost more than the page (~14 µs of JSON per line) and told an operator nothing.
 */
export function isRoutineRequest(method: string, url: string, statusCode: number): boolean {
  if (statusCode >= 400) return false;
  if (isQuietRequest(url)) return statusCode < 500;
  return (method === 'GET' || method === 'HEAD') && !url.startsWith('/api/');
}

/**
 * Fastify's request log lines, through its own extension point: one line per request when it is
 * answered (method, redacted URL, status, duration), instead of an "incoming" and a "completed" line
 * and a third for a 4xx or an unknown route. Routine requests (isRoutineRequest) log at debug, so
 * `info` shows API calls, writes, client and server errors, and any request slower than SLOW_REQUEST_MS.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const responseTime = reply.elapsedTime;
    if (error) {
      request.log.error({ req: request, res: reply, responseTime, err: error }, 'request errored');
      return;
    }
    if (responseTime >= SLOW_REQUEST_MS) {
      request.log.warn({ req: request, res: reply, responseTime }, 'request completed slowly');
      return;
    }
    const routine = isRoutineRequest(request.method, request.url, reply.statusCode);
    // Checked first: building the line is skipped when its level is off (pino's levels are numbers).
    if (routine && !isDebugOn(request.log)) return;
    const line = { req: request, res: reply, responseTime };
    if (routine) request.log.debug(line, 'request completed');
    else request.log.info(line, 'request completed');
  }

  /** A client error is already on the request's line (its status); server errors keep their own line. */
  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
  }

  /** The request's line says 404; the default line would also carry the URL unredacted. */
  override routeNotFound(): void {}
}
