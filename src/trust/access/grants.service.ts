import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { isLocale, type Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { recordTrustEvent } from '../events.ts';
import { domainOf, findNdaExemptions, hasAcceptedCurrentNda } from '../nda/nda.store.ts';
import { visitorUrl } from './access-mail.ts';
import { accessRequestProblems } from './access-requests.problems.ts';
import {
  findActiveGrants,
  findGrant,
  findGrantsWithVisitors,
  type GrantLevel,
  type GrantListFilter,
  type GrantRow,
  insertGrant,
  markGrantRevoked,
} from './grants.store.ts';
import { isDomainUnder } from './visitors.domains.ts';
import {
  EMAIL_LINK_TTL_MS,
  findLiveVisitorToken,
  findVisitor,
  issueVisitorToken,
  type VisitorRow,
} from './visitors.store.ts';

export type DocumentAccessLevel = 'request' | 'nda';

export type AuthorizedVisitor = { id: string; name: string; email: string; company: string; locale: Locale };

export type AuthorizedDownload = { visitor: AuthorizedVisitor; grantId: string };

/** What an access token opens right now: its visitor and their active grants. */
export type VisitorAccess = { visitor: VisitorRow; grants: GrantRow[]; expiresAt: Date };

/**
 * Whether the holder of `accessToken` may download this gated document now. The one check every gated
 * download goes through (DOCUMENTS calls it before reading a byte).
 *
 * @returns the visitor (for the watermark) and the grant that covers the document; undefined when the
 *   token is unknown, malformed or expired, the visitor was erased, no active (unexpired, unrevoked)
 *   grant covers the document by id or by level, or — for `nda` documents — the visitor has not
 *   accepted the current NDA and their e-mail domain is not exempt. Callers answer 404 for undefined.
 */
export async function authorizeDownload(
  ctx: Pick<AppContext, 'database'>,
  input: { accessToken: string; documentId: string; accessLevel: DocumentAccessLevel },
): Promise<AuthorizedDownload | undefined> {
  const q = ctx.database.db;
  const access = await findVisitorAccess(q, input.accessToken, new Date());
  if (!access) return undefined;
  const grant = access.grants.find((candidate) =>
    grantCovers(candidate, input.documentId, input.accessLevel),
  );
  if (!grant) return undefined;
  if (input.accessLevel === 'nda' && !(await isNdaSatisfied(q, access.visitor))) return undefined;
  return { visitor: visitorView(access.visitor), grantId: grant.id };
}

/**
 * Resolves an access token to its visitor and active grants; undefined when the token is unknown or
 * expired, the visitor unverified or erased, or no grant is active any more (revoked or expired grants
 * close the same links at once).
 */
export async function findVisitorAccess(
  q: Queryable,
  accessToken: string,
  now: Date,
): Promise<VisitorAccess | undefined> {
  const token = await findLiveVisitorToken(q, accessToken, 'access', now);
  if (!token) return undefined;
  const visitor = await findVisitor(q, token.visitorId);
  if (!visitor || visitor.erasedAt || !visitor.emailVerifiedAt) return undefined;
  const grants = await findActiveGrants(q, visitor.id, now);
  if (grants.length === 0) return undefined;
  return { visitor, grants, expiresAt: token.expiresAt };
}

/**
 * A grant covers the documents it names, or a whole level: `request` covers request-level documents,
 * `nda` covers nda- and request-level ones (whoever may read under NDA may read what needs only approval).
 */
export function grantCovers(
  grant: Pick<GrantRow, 'documentIds' | 'level'>,
  documentId: string,
  accessLevel: DocumentAccessLevel,
): boolean {
  if (grant.documentIds.includes(documentId)) return true;
  if (grant.level === 'nda') return accessLevel === 'nda' || accessLevel === 'request';
  if (grant.level === 'request') return accessLevel === 'request';
  return false;
}

/**
 * An NDA is in place: the visitor accepted the current version (of any locale), or their company signed
 * one on paper (an exemption for their e-mail domain or a parent domain).
 */
export async function isNdaSatisfied(
  q: Queryable,
  visitor: Pick<VisitorRow, 'id' | 'email'>,
): Promise<boolean> {
  const domain = domainOf(visitor.email);
  if ((await findNdaExemptions(q)).some((exemption) => isDomainUnder(domain, exemption.domain))) return true;
  return hasAcceptedCurrentNda(q, visitor.id);
}

export function visitorView(visitor: VisitorRow): AuthorizedVisitor {
  return {
    id: visitor.id,
    name: visitor.name,
    email: visitor.email,
    company: visitor.company,
    locale: isLocale(visitor.locale) ? visitor.locale : 'en',
  };
}

export type GrantScope = { documentIds: string[]; level: GrantLevel | null };

/**
 * Grants a visitor documents (by id, or a whole level) until `expiresAt`, and e-mails them a one-time
 * sign-in link. Runs in the caller's transaction (the request's approval), with its events and audit.
 */
export async function createGrant(
  ctx: Pick<AppContext, 'config' | 'jobs' | 'mailer' | 'keyring' | 'warn'>,
  tx: Queryable,
  actor: Actor,
  input: {
    visitor: VisitorRow;
    requestId: string | null;
    scope: GrantScope;
    expiresAt: Date;
    organizationName: string;
  },
): Promise<GrantRow> {
  const { visitor } = input;
  const createdBy = actor.type === 'user' ? actor.user.id : actor.type === 'token' ? actor.token.id : null;
  const grant = await insertGrant(tx, {
    visitorId: visitor.id,
    requestId: input.requestId,
    documentIds: input.scope.documentIds,
    level: input.scope.level,
    expiresAt: input.expiresAt,
    createdBy,
  });
  const base = {
    type: 'granted' as const,
    visitorId: visitor.id,
    company: visitor.company,
    locale: visitor.locale,
  };
  for (const documentId of grant.documentIds) await recordTrustEvent(tx, { ...base, documentId });
  if (grant.level) await recordTrustEvent(tx, base);
  await recordAudit(tx, actor, {
    action: 'trust.grant.created',
    targetType: 'trust-grant',
    targetId: grant.id,
    details: {
      visitorId: visitor.id,
      documentIds: grant.documentIds,
      level: grant.level,
      expiresAt: grant.expiresAt,
      requestId: input.requestId,
    },
  });
  const locale = visitorView(visitor).locale;
  const linkExpiresAt = new Date(Date.now() + EMAIL_LINK_TTL_MS);
  const token = await issueVisitorToken(tx, {
    visitorId: visitor.id,
    purpose: 'magic-link',
    expiresAt: linkExpiresAt,
    requestId: input.requestId ?? undefined,
  });
  await queueMail(ctx, tx, {
    cause: actor,
    to: visitor.email,
    template: 'trust-access-approved',
    locale,
    vars: {
      organizationName: input.organizationName,
      link: visitorUrl(ctx, locale, `/access/login/${token}`),
      expiresAt: linkExpiresAt,
      grantExpiresAt: grant.expiresAt,
    },
  });
  return grant;
}

/** Revokes a grant now: the visitor's links stop opening what it covered at once. Idempotent. */
export async function revokeGrant(
  ctx: Pick<AppContext, 'database'>,
  actor: Actor,
  grantId: string,
): Promise<GrantRow> {
  return ctx.database.db.transaction(async (tx) => {
    const revoked = await markGrantRevoked(tx, grantId, new Date());
    if (!revoked) {
      const existing = await findGrant(tx, grantId);
      if (!existing) throw accessRequestProblems.grantNotFound(grantId);
      return existing;
    }
    const visitor = await findVisitor(tx, revoked.visitorId);
    await recordTrustEvent(tx, { type: 'revoked', visitorId: revoked.visitorId, company: visitor?.company });
    await recordAudit(tx, actor, {
      action: 'trust.grant.revoked',
      targetType: 'trust-grant',
      targetId: revoked.id,
      details: { visitorId: revoked.visitorId },
    });
    return revoked;
  });
}

export type GrantView = {
  id: string;
  visitor: { id: string; name: string; email: string; company: string };
  requestId: string | null;
  documentIds: string[];
  level: GrantLevel | null;
  status: 'active' | 'expired' | 'revoked';
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
};

export function grantStatus(
  grant: Pick<GrantRow, 'revokedAt' | 'expiresAt'>,
  now: Date,
): GrantView['status'] {
  if (grant.revokedAt) return 'revoked';
  return grant.expiresAt > now ? 'active' : 'expired';
}

export async function listGrants(
  ctx: Pick<AppContext, 'database'>,
  filter: GrantListFilter,
  page: { limit: number; offset: number },
): Promise<{ items: GrantView[]; nextCursor: string | null }> {
  const now = new Date();
  const rows = await findGrantsWithVisitors(ctx.database.db, filter, page, now);
  const items = rows.slice(0, page.limit).map(({ grant, visitor }) => ({
    id: grant.id,
    visitor: { id: visitor.id, name: visitor.name, email: visitor.email, company: visitor.company },
    requestId: grant.requestId,
    documentIds: grant.documentIds,
    level: grant.level as GrantLevel | null,
    status: grantStatus(grant, now),
    expiresAt: grant.expiresAt.toISOString(),
    revokedAt: grant.revokedAt?.toISOString() ?? null,
    createdAt: grant.createdAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > page.limit ? String(page.offset + page.limit) : null };
}
