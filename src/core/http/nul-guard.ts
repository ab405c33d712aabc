import type { FastifyInstance } from 'fastify';
import { Problem, problems } from './problem.ts';

/**
 * PostgreSQL text can never hold U+0000 (it answers 22P05 and the request would end in a 500), and no
 * honest client sends it. One hook refuses it everywhere the framework parsed something — path
 * parameters, query string, JSON or url-encoded body — right before the handler (preHandler, so a body a
 * route's own preValidation puts in place, such as a multipart report's JSON part, is checked too);
 * multipart fields read by handlers go through `refuseNul` in the same way (readMultipart).
 */
export const NUL_DETAIL = 'contains a NUL character (U+0000), which is not accepted';

/** Escapes a key for a JSON pointer (RFC 6901). */
const escapeKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The JSON pointer of the first string (value or key) holding U+0000 in `value`, or undefined. Walks with
 * an explicit stack: a body nested 100,000 levels deep must not exhaust the call stack.
 */
export function nulPointer(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, pointer] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return pointer || '/';
      continue;
    }
    if (typeof current !== 'object' || current === null || Buffer.isBuffer(current)) continue;
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1) {
        stack.push([current[index], `${pointer}/${index}`]);
      }
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      const at = `${pointer}/${escapeKey(key)}`;
      if (key.includes('\u0000')) return at;
      stack.push([child, at]);
    }
  }
  return undefined;
}

/** Throws the 422 `validation-failed` problem when `value` holds U+0000 anywhere. */
export function refuseNul(where: 'params' | 'querystring' | 'body', value: unknown): void {
  const pointer = nulPointer(value);
  if (pointer !== undefined) throw problems.validation([{ in: where, pointer, detail: NUL_DETAIL }]);
}

export function registerNulGuard(app: FastifyInstance): void {
  // Callback style: no promise per request for a check that never waits.
  app.addHook('preHandler', (request, _reply, done) => {
    try {
      refuseNul('params', request.params);
      refuseNul('querystring', request.query);
      refuseNul('body', request.body);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });
}

/** Whether `error` is this guard's refusal, so HTML pages can say what to fix. */
export function isRefusedCharacter(error: unknown): boolean {
  if (!(error instanceof Problem) || error.code !== 'validation-failed') return false;
  const errors = error.extra.errors as { detail?: string }[] | undefined;
  return errors?.some((entry) => entry.detail === NUL_DETAIL) ?? false;
}
