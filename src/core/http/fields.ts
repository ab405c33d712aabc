import { z } from 'zod';

/** Bounded, reusable request fields. `z.string()` alone is almost never right. */
export const Id = z.uuid().describe('UUID');
export const Name = z.string().trim().min(1).max(200);
export const Email = z
  .email({ error: 'a valid e-mail address' })
  .max(254)
  .transform((value) => value.toLowerCase());
/** NIST SP 800-63B: at least 12 characters here, long passphrases allowed, no composition rules. */
export const Password = z.string().min(12, { error: 'at least 12 characters' }).max(256);
export const LocaleField = z.enum(['en', 'es', 'fr']);
export const Role = z.enum(['owner', 'admin', 'security', 'compliance', 'employee', 'auditor']);
export const Cursor = z.string().min(1).max(200);
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: Cursor.optional(),
});
export const Timestamp = z.iso.datetime({ offset: true });

export const ProblemView = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
  })
  .passthrough()
  .describe('RFC 9457 problem details');

/** The error answers every route can give, for the OpenAPI document. */
export const problemResponses = {
  400: ProblemView,
  401: ProblemView,
  403: ProblemView,
  404: ProblemView,
  409: ProblemView,
  422: ProblemView,
  429: ProblemView,
};
