import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Actor } from '../../core/http/actor.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { insertProfileIfMissing, PROFILE_ID } from '../content/content.store.ts';
import { recordTrustEvent } from '../events.ts';
import { trustProfile } from '../tables.ts';
import { accessRequestProblems } from './access-requests.problems.ts';
import { approveInTransaction } from './access-requests.service.ts';
import {
  type AccessRequestFilter,
  type AccessRequestRow,
  type AccessRequestStatus,
  findAccessRequest,
  findAccessRequests,
  transitionAccessRequest,
} from './access-requests.store.ts';
import { type GrantView, grantStatus, visitorView } from './grants.service.ts';
import { findGatedDocuments, type GrantLevel } from './grants.store.ts';
import { loadAccessSettings } from './visitors.service.ts';
import { findVisitor, type VisitorRow } from './visitors.store.ts';

export type AccessRequestView = {
  id: string;
  status: AccessRequestStatus;
  visitor: {
    id: string;
    name: string;
    email: string;
    company: string;
    locale: string;
    emailVerified: boolean;
  };
  reason: string;
  documentIds: string[];
  level: GrantLevel | null;
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
};

function toRequestView(request: AccessRequestRow, visitor: VisitorRow): AccessRequestView {
  return {
    id: request.id,
    status: request.status as AccessRequestStatus,
    visitor: {
      id: visitor.id,
      name: visitor.name,
      email: visitor.email,
      company: visitor.company,
      locale: visitor.locale,
      emailVerified: visitor.emailVerifiedAt !== null,
    },
    reason: request.reason,
    documentIds: request.documentIds,
    level: request.level as GrantLevel | null,
    createdAt: request.createdAt.toISOString(),
    decidedAt: request.decidedAt?.toISOString() ?? null,
    decisionNote: request.decisionNote,
  };
}

async function getRequestView(ctx: Pick<AppContext, 'database'>, id: string): Promise<AccessRequestView> {
  const request = await findAccessRequest(ctx.database.db, id);
  const visitor = request && (await findVisitor(ctx.database.db, request.visitorId));
  if (!request || !visitor) throw accessRequestProblems.notFound(id);
  return toRequestView(request, visitor);
}

export async function listAccessRequests(
  ctx: Pick<AppContext, 'database'>,
  filter: AccessRequestFilter,
  page: { limit: number; offset: number },
): Promise<{ items: AccessRequestView[]; nextCursor: string | null }> {
  const rows = await findAccessRequests(ctx.database.db, filter, page);
  const items = rows.slice(0, page.limit).map(({ request, visitor }) => toRequestView(request, visitor));
  return { items, nextCursor: rows.length > page.limit ? String(page.offset + page.limit) : null };
}

export type ApproveInput = { documentIds?: string[]; level?: GrantLevel; expiresInDays?: number };

function actorId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.user.id : actor.type === 'token' ? actor.token.id : null;
}

/**
 * Approves a pending request: a grant for the chosen documents or a whole level (default: what was
 * asked for), expiring after `expiresInDays` (default the profile's grant days), and a sign-in link by
 * e-mail. 404 for an unknown request, 409 unless pending, 422 for documents that aren't gated.
 */
export async function approveAccessRequest(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  input: ApproveInput,
): Promise<{ request: AccessRequestView; grant: GrantView }> {
  const db = ctx.database.db;
  const settings = await loadAccessSettings(ctx, db);
  if (input.documentIds && input.documentIds.length > 0) {
    const known = new Set((await findGatedDocuments(db)).map((doc) => doc.id));
    const unknown = input.documentIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw accessRequestProblems.unknownDocuments(unknown);
  }
  const days = input.expiresInDays ?? settings.grantDays;
  const { grant, visitor } = await db.transaction(async (tx) => {
    const request = await findAccessRequest(tx, requestId);
    if (!request) throw accessRequestProblems.notFound(requestId);
    if (request.status !== 'pending') throw accessRequestProblems.notPending(requestId, request.status);
    const visitor = await findVisitor(tx, request.visitorId);
    if (!visitor) throw accessRequestProblems.notFound(requestId);
    const scope = input.level
      ? { documentIds: [], level: input.level }
      : input.documentIds && input.documentIds.length > 0
        ? { documentIds: [...new Set(input.documentIds)], level: null }
        : { documentIds: request.documentIds, level: (request.level as GrantLevel | null) ?? null };
    const result = await approveInTransaction(ctx, tx, actor, request, visitor, {
      scope,
      expiresAt: new Date(Date.now() + days * 86_400_000),
      organizationName: settings.companyName,
      automatic: false,
      decidedBy: actorId(actor),
    });
    return { ...result, visitor };
  });
  return {
    request: await getRequestView(ctx, requestId),
    grant: {
      id: grant.id,
      visitor: { id: visitor.id, name: visitor.name, email: visitor.email, company: visitor.company },
      requestId: grant.requestId,
      documentIds: grant.documentIds,
      level: grant.level as GrantLevel | null,
      status: grantStatus(grant, new Date()),
      expiresAt: grant.expiresAt.toISOString(),
      revokedAt: null,
      createdAt: grant.createdAt.toISOString(),
    },
  };
}

/** Denies a pending request with an optional note (kept for admins) and tells the visitor politely. */
export async function denyAccessRequest(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  input: { note?: string },
): Promise<AccessRequestView> {
  const db = ctx.database.db;
  const settings = await loadAccessSettings(ctx, db);
  await db.transaction(async (tx) => {
    const request = await findAccessRequest(tx, requestId);
    if (!request) throw accessRequestProblems.notFound(requestId);
    const denied = await transitionAccessRequest(tx, requestId, ['pending'], {
      status: 'denied',
      decidedAt: new Date(),
      decidedBy: actorId(actor),
      decisionNote: input.note ?? null,
    });
    if (!denied) throw accessRequestProblems.notPending(requestId, request.status);
    const visitor = await findVisitor(tx, request.visitorId);
    if (!visitor) return;
    const locale = visitorView(visitor).locale;
    await recordTrustEvent(tx, { type: 'denied', visitorId: visitor.id, company: visitor.company, locale });
    await recordAudit(tx, actor, {
      action: 'trust.access-request.denied',
      targetType: 'trust-access-request',
      targetId: requestId,
      details: { automatic: false, visitorId: visitor.id, note: input.note ?? null },
    });
    await queueMail(ctx, tx, {
      to: visitor.email,
      template: 'trust-access-denied',
      locale,
      vars: { organizationName: settings.companyName },
    });
  });
  return getRequestView(ctx, requestId);
}

export type DomainLists = { allowDomains: string[]; denyDomains: string[] };

export async function getDomainLists(ctx: AppContext): Promise<DomainLists> {
  const settings = await loadAccessSettings(ctx, ctx.database.db);
  return { allowDomains: settings.allowDomains, denyDomains: settings.denyDomains };
}

/** Replaces the allow and deny lists (domains already normalised by the route's schema). */
export async function updateDomainLists(
  ctx: AppContext,
  actor: Actor,
  lists: DomainLists,
): Promise<DomainLists> {
  const settings = await loadAccessSettings(ctx, ctx.database.db);
  await ctx.database.db.transaction(async (tx) => {
    await insertProfileIfMissing(tx, {
      companyName: settings.companyName,
      defaultLocale: settings.defaultLocale,
    });
    await tx
      .update(trustProfile)
      .set({ allowDomains: lists.allowDomains, denyDomains: lists.denyDomains })
      .where(eq(trustProfile.id, PROFILE_ID));
    await recordAudit(tx, actor, {
      action: 'trust.domain-lists.updated',
      targetType: 'trust-profile',
      details: {
        from: { allowDomains: settings.allowDomains, denyDomains: settings.denyDomains },
        to: lists,
      },
    });
  });
  return lists;
}
