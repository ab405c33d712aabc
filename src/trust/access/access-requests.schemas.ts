import { z } from 'zod';
import { BulkIds } from '../../core/http/bulk.ts';
import { Email, Id, LocaleField, Name } from '../../core/http/fields.ts';
import { Slug } from '../content/content.schemas.ts';

/** Admin lists page by offset; the cursor is the opaque `nextCursor` of the previous page. */
export const OffsetPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .regex(/^\d{1,7}$/, { error: 'a cursor from a previous page' })
    .optional(),
});

export function pageOf(query: { limit: number; cursor?: string }): { limit: number; offset: number } {
  return { limit: query.limit, offset: query.cursor ? Number(query.cursor) : 0 };
}

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const AccessRequestStatus = z.enum(['unconfirmed', 'pending', 'approved', 'denied']);
export const GrantLevel = z.enum(['request', 'nda']);

/** What a visitor types into the request form (HTML or JSON). */
export const AccessRequestFields = z.strictObject({
  name: Name,
  email: Email,
  company: Name,
  reason: z.string().trim().min(1).max(2000),
});

export const SubmitAccessRequestBody = AccessRequestFields.extend({
  documentSlug: Slug,
  locale: LocaleField.default('en'),
});

export const AccessRequestQuery = OffsetPageQuery.extend({
  status: AccessRequestStatus.optional(),
  search: z.string().trim().min(1).max(200).optional(),
});

export const AccessRequestView = z.object({
  id: Id,
  status: AccessRequestStatus,
  visitor: z.object({
    id: Id,
    name: z.string(),
    email: z.string(),
    company: z.string(),
    locale: z.string(),
    emailVerified: z.boolean(),
  }),
  reason: z.string(),
  documentIds: z.array(Id),
  level: GrantLevel.nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const GrantView = z.object({
  id: Id,
  visitor: z.object({ id: Id, name: z.string(), email: z.string(), company: z.string() }),
  requestId: Id.nullable(),
  documentIds: z.array(Id),
  level: GrantLevel.nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

const ApproveFields = z.strictObject({
  documentIds: z
    .array(Id)
    .min(1)
    .max(100)
    .optional()
    .describe('Documents to grant; default: those requested'),
  level: GrantLevel.optional().describe('Grant a whole access level instead of documents'),
  expiresInDays: z.number().int().min(1).max(365).optional().describe('Default: the profile grant days (30)'),
});
const oneScope = (body: { documentIds?: string[]; level?: unknown }) => !(body.documentIds && body.level);
const oneScopeError = { error: 'give documentIds or level, not both' };
export const ApproveBody = ApproveFields.refine(oneScope, oneScopeError);

export const DenyBody = z.strictObject({ note: z.string().trim().min(1).max(2000).optional() });

/** Approve or deny up to 100 requests at once; `approve` takes the single approve's options. */
export const BulkAccessRequestsBody = z.strictObject({
  requestIds: BulkIds,
  action: z.discriminatedUnion('type', [
    ApproveFields.extend({ type: z.literal('approve') }).refine(oneScope, oneScopeError),
    DenyBody.extend({ type: z.literal('deny') }),
  ]),
});

export const GrantQuery = OffsetPageQuery.extend({
  status: z.enum(['active', 'expired', 'revoked']).optional(),
  visitorId: Id.optional(),
});

/** `acme.com`: lowercase, no scheme, no `@`, at least one dot. `@acme.com` and `*.acme.com` are accepted. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/^(\*\.|@)/, ''))
  .pipe(
    z
      .string()
      .max(253)
      .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/, {
        error: 'a domain name such as example.com',
      }),
  );

export const DomainListsBody = z.strictObject({
  allowDomains: z.array(Domain).max(500),
  denyDomains: z.array(Domain).max(500),
});

export const DomainListsView = z.object({
  allowDomains: z.array(z.string()),
  denyDomains: z.array(z.string()),
});
