import { databaseText } from '../db/text.ts';

/** What pg-boss keeps of a failed attempt (the job's `output`), and what admins see. */
export type JobFailure = { name: string; message: string; code?: string };

const MAX_MESSAGE = 1000;

function causeOf(error: unknown): unknown {
  return error && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A failure as it may be stored and shown: name, message and driver error code, nothing else. pg-boss
 * would otherwise serialize the whole error into the job row, and that can itself fail (a NUL in the
 * message, which jsonb refuses) or keep a secret (drizzle's "Failed query" message lists the query's
 * parameters: a payload, a sealed value, a token). So a query error is recorded by the database's own
 * message, the text is made storable and cut to 1,000 characters.
 */
export function jobFailure(error: unknown): JobFailure {
  let chosen: unknown = error;
  let code: string | undefined;
  for (let e: unknown = error, depth = 0; e && depth < 5; e = causeOf(e), depth += 1) {
    code ??= textOf((e as { code?: unknown }).code);
    const message = textOf((e as { message?: unknown }).message);
    if (e === chosen && message?.startsWith('Failed query') && causeOf(e)) chosen = causeOf(e);
  }
  const message =
    textOf((chosen as { message?: unknown } | null)?.message) ??
    (typeof chosen === 'string' ? chosen : 'the job failed without an error message');
  const name = textOf((chosen as { name?: unknown } | null)?.name) ?? 'Error';
  return {
    name: databaseText(name.slice(0, 100)),
    message: databaseText(message.slice(0, MAX_MESSAGE)),
    ...(code ? { code: databaseText(code.slice(0, 20)) } : {}),
  };
}
