import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable, Tx } from '../../core/db/index.ts';
import { type Actor, asVisitor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { findDocument } from '../documents/documents.store.ts';
import { recordTrustEvent } from '../events.ts';
import { domainOf } from '../nda/nda.store.ts';
import { getPublishedSite } from '../publication/publication.service.ts';
import { findTrustManagers, visitorUrl } from './access-mail.ts';
import { accessRequestProblems } from './access-requests.problems.ts';
import {
  type AccessRequestRow,
  countRequestsSince,
  findAccessRequest,
  insertAccessRequest,
  transitionAccessRequest,
} from './access-requests.store.ts';
import { createGrant, visitorView } from './grants.service.ts';
import { findGatedDocuments, localizedText } from './grants.store.ts';
import { domainDecision } from './visitors.domains.ts';
import { loadAccessSettings } from './visitors.service.ts';
import {
  consumeVisitorToken,
  EMAIL_LINK_TTL_MS,
  findVisitor,
  issueVisitorToken,
  markVisitorVerified,
  upsertVisitor,
  type VisitorRow,
} from './visitors.store.ts';

/** Requests one address may make in an hour; more are refused (per IP limits live on the routes). */
export const MAX_REQUESTS_PER_EMAIL_PER_HOUR = 5;

/** The slug that stands for "every restricted document" in one request (see requestableDocuments). */
export const ALL_DOCUMENTS = 'all';

export type SubmitAccessRequestInput = {
  locale: Locale;
  /** One document's slug, or ALL_DOCUMENTS for every restricted document the site lists. */
  documentSlug: string;
  name: string;
  email: string;
  company: string;
  reason: string;
};

/** Whether the document still exists and is not archived (archiving withdraws it before any publish). */
async function isLiveDocument(q: Queryable, documentId: string): Promise<boolean> {
  const row = await findDocument(q, documentId);
  return row !== undefined && row.archivedAt === null;
}

/**
 * The published, gated, live documents a request names: the one with `slug`, or for ALL_DOCUMENTS every
 * gated document the site lists (with a file, already valid), so one request and one approval cover them.
 * Requestable means gated on the published site, at the level it shows: a draft's slug or level stays
 * unknown until it is published; an archived document is withdrawn at once.
 */
export async function requestableDocuments(ctx: AppContext, slug: string, today = new Date()) {
  const site = await getPublishedSite(ctx);
  const day = today.toISOString().slice(0, 10);
  const candidates = (site?.documents ?? []).filter((doc) =>
    slug === ALL_DOCUMENTS
      ? doc.accessLevel !== 'public' &&
        (doc.hasDefaultFile || doc.fileLocales.length > 0) &&
        (!doc.validFrom || doc.validFrom <= day)
      : doc.slug === slug && doc.accessLevel !== 'public',
  );
  const live = await Promise.all(candidates.map((doc) => isLiveDocument(ctx.database.db, doc.id)));
  return candidates.filter((_, i) => live[i]);
}

/**
 * Records a visitor's request for a gated document as `unconfirmed` and e-mails them a one-time
 * confirmation link (24 h) in their language. Throws a 404 problem for an unknown, archived or public
 * document; answers 'rate-limited' past MAX_REQUESTS_PER_EMAIL_PER_HOUR for the address.
 */
export async function submitAccessRequest(
  ctx: AppContext,
  actor: Actor,
  input: SubmitAccessRequestInput,
): Promise<'sent' | 'rate-limited'> {
  const db = ctx.database.db;
  const settings = await loadAccessSettings(ctx, db);
  const documents = await requestableDocuments(ctx, input.documentSlug);
  if (documents.length === 0) throw accessRequestProblems.documentNotRequestable(input.documentSlug);
  const documentIds = documents.map((doc) => doc.id);
  const title = (doc: (typeof documents)[number]) =>
    localizedText(doc.title, input.locale, settings.defaultLocale) || doc.slug;
  const now = new Date();
  return db.transaction(async (tx) => {
    const visitor = await upsertVisitor(tx, {
      email: input.email,
      name: input.name,
      company: input.company,
      locale: input.locale,
    });
    const since = new Date(now.getTime() - 60 * 60 * 1000);
    if ((await countRequestsSince(tx, visitor.id, since)) >= MAX_REQUESTS_PER_EMAIL_PER_HOUR)
      return 'rate-limited';
    const request = await insertAccessRequest(tx, {
      visitorId: visitor.id,
      reason: input.reason,
      documentIds,
      level: null,
    });
    const expiresAt = new Date(now.getTime() + EMAIL_LINK_TTL_MS);
    const token = await issueVisitorToken(tx, {
      visitorId: visitor.id,
      purpose: 'confirm',
      requestId: request.id,
      expiresAt,
    });
    await queueMail(ctx, tx, {
      to: input.email,
      template: 'trust-access-confirm',
      locale: input.locale,
      cause: actor,
      vars: {
        organizationName: settings.companyName,
        documentTitle: documents.map(title).join(', '),
        link: visitorUrl(ctx, input.locale, `/access/confirm/${token}`),
        expiresAt,
      },
    });
    for (const documentId of documentIds) {
      await recordTrustEvent(tx, {
        type: 'requested',
        visitorId: visitor.id,
        company: visitor.company,
        documentId,
        locale: input.locale,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
    }
    await recordAudit(tx, actor, {
      action: 'trust.access-request.submitted',
      targetType: 'trust-access-request',
      targetId: request.id,
      details: {
        visitorId: visitor.id,
        email: visitor.email,
        company: input.company,
        ...(documentIds.length === 1 ? { documentId: documentIds[0] } : { documentIds }),
      },
    });
    return 'sent';
  });
}

export type ConfirmOutcome = 'approved' | 'denied' | 'pending';

/**
 * Uses up a confirmation link: the address is verified, then the domain lists decide — denied at once,
 * approved at once (grant + sign-in link by e-mail), or pending with every trust manager notified.
 * Undefined (nothing changed) for an unknown, used or expired link.
 */
export async function confirmAccessRequest(
  ctx: AppContext,
  actor: Actor,
  token: string,
): Promise<ConfirmOutcome | undefined> {
  const db = ctx.database.db;
  const settings = await loadAccessSettings(ctx, db);
  const now = new Date();
  return db.transaction(async (tx) => {
    const used = await consumeVisitorToken(tx, token, 'confirm', now);
    const request = used?.requestId ? await findAccessRequest(tx, used.requestId) : undefined;
    const visitor = used ? await findVisitor(tx, used.visitorId) : undefined;
    // A live token always belongs to an unconfirmed request; anything else is a link that does nothing.
    if (!request || !visitor || request.status !== 'unconfirmed') return undefined;
    await markVisitorVerified(tx, visitor.id, now);
    const event = { visitorId: visitor.id, company: visitor.company, locale: visitor.locale };
    await recordTrustEvent(tx, { ...event, type: 'confirmed', ip: actor.ip, userAgent: actor.userAgent });
    await recordAudit(tx, asVisitor(actor, visitor.id), {
      action: 'trust.access-request.confirmed',
      targetType: 'trust-access-request',
      targetId: request.id,
      details: { visitorId: visitor.id },
    });
    const decision = domainDecision(domainOf(visitor.email), settings);
    if (decision === 'deny') {
      await transitionAccessRequest(tx, request.id, ['unconfirmed'], {
        status: 'denied',
        decidedAt: now,
        decisionNote: 'deny-list',
      });
      await recordTrustEvent(tx, { ...event, type: 'denied' });
      await recordAudit(tx, actor, {
        action: 'trust.access-request.denied',
        targetType: 'trust-access-request',
        targetId: request.id,
        details: { automatic: true, rule: 'deny-list', visitorId: visitor.id },
      });
      return 'denied';
    }
    if (decision === 'allow') {
      await approveInTransaction(ctx, tx, actor, request, visitor, {
        scope: {
          documentIds: request.documentIds,
          level: (request.level as 'request' | 'nda' | null) ?? null,
        },
        expiresAt: new Date(now.getTime() + settings.grantDays * 86_400_000),
        organizationName: settings.companyName,
        automatic: true,
      });
      return 'approved';
    }
    await transitionAccessRequest(tx, request.id, ['unconfirmed'], { status: 'pending' });
    const documents = await findGatedDocuments(tx);
    for (const manager of await findTrustManagers(tx)) {
      const titles = request.documentIds.map((id) => {
        const doc = documents.find((candidate) => candidate.id === id);
        return doc ? localizedText(doc.title, manager.locale, settings.defaultLocale) || doc.slug : id;
      });
      await queueMail(ctx, tx, {
        to: manager.email,
        template: 'trust-access-pending',
        locale: manager.locale,
        cause: actor,
        vars: {
          organizationName: settings.companyName,
          visitorName: visitor.name,
          visitorEmail: visitor.email,
          company: visitor.company,
          documentTitle: titles.join(', ') || (request.level ?? ''),
          reason: request.reason,
          link: `${ctx.config.publicUrl}/app/trust/access`,
        },
      });
    }
    return 'pending';
  });
}

type ApproveOptions = {
  scope: { documentIds: string[]; level: 'request' | 'nda' | null };
  expiresAt: Date;
  organizationName: string;
  automatic: boolean;
  decidedBy?: string | null;
};

/** Approves a request inside the caller's transaction: status, grant (with sign-in link), events, audit. */
export async function approveInTransaction(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  request: AccessRequestRow,
  visitor: VisitorRow,
  options: ApproveOptions,
) {
  const from = options.automatic ? (['unconfirmed'] as const) : (['pending'] as const);
  const approved = await transitionAccessRequest(tx, request.id, [...from], {
    status: 'approved',
    decidedAt: new Date(),
    decidedBy: options.decidedBy ?? null,
  });
  if (!approved) throw accessRequestProblems.notPending(request.id, request.status);
  await recordTrustEvent(tx, {
    type: 'approved',
    visitorId: visitor.id,
    company: visitor.company,
    locale: visitorView(visitor).locale,
  });
  await recordAudit(tx, actor, {
    action: 'trust.access-request.approved',
    targetType: 'trust-access-request',
    targetId: request.id,
    details: {
      automatic: options.automatic,
      ...(options.automatic ? { rule: 'allow-list' } : {}),
      visitorId: visitor.id,
      documentIds: options.scope.documentIds,
      level: options.scope.level,
    },
  });
  const grant = await createGrant(ctx, tx, actor, {
    visitor,
    requestId: request.id,
    scope: options.scope,
    expiresAt: options.expiresAt,
    organizationName: options.organizationName,
  });
  return { request: approved, grant };
}
