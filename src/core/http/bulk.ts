import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hasTranslation, type Locale, negotiateLocale, translate } from '../i18n/index.ts';
import { Id } from './fields.ts';
import { Problem } from './problem.ts';

/** The ids a bulk action applies to: 1–100, repeated ids applied once. */
export const BulkIds = z.array(Id).min(1).max(100);

export const BulkResultView = z.object({
  id: Id,
  ok: z.boolean(),
  problem: z
    .object({ status: z.number().int(), code: z.string(), title: z.string(), detail: z.string() })
    .optional()
    .describe('Why this one was refused (the problem the single action would have answered)'),
});
export type BulkResultView = z.infer<typeof BulkResultView>;

export const BulkResultsView = z.object({
  results: z.array(BulkResultView),
  updated: z.number().int(),
  refused: z.number().int(),
});
export type BulkResultsView = z.infer<typeof BulkResultsView>;

/**
 * Applies `apply` to each id in turn, each call its own transaction (the single action's), so one
 * refusal (a Problem: not found, not allowed from that state…) is reported for its id and the others
 * still happen. Anything that is not a Problem is a bug and fails the whole request as a 500.
 */
export async function applyToEach(
  request: FastifyRequest,
  ids: readonly string[],
  apply: (id: string) => Promise<unknown>,
): Promise<BulkResultsView> {
  const locale: Locale = negotiateLocale(request.headers['accept-language'], 'en');
  const results: BulkResultView[] = [];
  for (const id of new Set(ids)) {
    try {
      await apply(id);
      results.push({ id, ok: true });
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      const key = `problems:${error.code}`;
      const title = hasTranslation(locale, key) ? translate(locale, key) : error.code;
      results.push({
        id,
        ok: false,
        problem: { status: error.status, code: error.code, title, detail: error.detail },
      });
    }
  }
  const updated = results.filter((result) => result.ok).length;
  return { results, updated, refused: results.length - updated };
}
