import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { isLocale, type Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { getSettings, organizationDefaults } from '../../core/settings/index.ts';
import { findProfile, logoDataUrlOf } from '../content/content.store.ts';
import { visitorUrl } from './access-mail.ts';
import { findActiveGrants } from './grants.store.ts';
import {
  consumeVisitorToken,
  countVisitorTokensSince,
  EMAIL_LINK_TTL_MS,
  findLiveVisitorToken,
  findVisitor,
  findVisitorByEmail,
  issueVisitorToken,
} from './visitors.store.ts';

/** What the access flow needs from the trust profile and the organization settings. */
export type AccessSettings = {
  /** The organization's name (core settings: one place for the trust center, the program and mails). */
  companyName: string;
  logoDataUrl: string | undefined;
  defaultLocale: Locale;
  grantDays: number;
  allowDomains: string[];
  denyDomains: string[];
};

export async function loadAccessSettings(
  ctx: Pick<AppContext, 'config'>,
  q: Queryable,
): Promise<AccessSettings> {
  const [profile, settings] = await Promise.all([findProfile(q), getSettings(q, organizationDefaults(ctx))]);
  const defaultLocale =
    profile && isLocale(profile.defaultLocale) ? profile.defaultLocale : settings.defaultLocale;
  return {
    companyName: settings.organizationName,
    logoDataUrl: (profile && logoDataUrlOf(profile)) ?? undefined,
    defaultLocale,
    grantDays: profile?.grantDays ?? 30,
    allowDomains: profile?.allowDomains ?? [],
    denyDomains: profile?.denyDomains ?? [],
  };
}

/** Sign-in links one address can be sent per hour, however often the form is submitted. */
export const MAX_MAGIC_LINKS_PER_HOUR = 3;

/**
 * Sends a fresh one-time sign-in link (24 h) to a verified visitor who still holds an active grant.
 * The caller answers the same whatever happened (no account enumeration); the audit entry says
 * whether the address was known, like password resets do.
 */
export async function requestMagicLink(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; locale: Locale },
): Promise<void> {
  const db = ctx.database.db;
  const settings = await loadAccessSettings(ctx, db);
  const now = new Date();
  await db.transaction(async (tx) => {
    const visitor = await findVisitorByEmail(tx, input.email);
    const eligible =
      visitor !== undefined &&
      visitor.emailVerifiedAt !== null &&
      visitor.erasedAt === null &&
      (await findActiveGrants(tx, visitor.id, now)).length > 0;
    const underLimit =
      eligible &&
      (await countVisitorTokensSince(tx, visitor.id, 'magic-link', new Date(now.getTime() - 3_600_000))) <
        MAX_MAGIC_LINKS_PER_HOUR;
    await recordAudit(tx, actor, {
      action: 'trust.magic-link.requested',
      targetType: visitor ? 'trust-visitor' : undefined,
      targetId: visitor?.id,
      details: { known: visitor !== undefined, sent: underLimit },
    });
    if (!visitor || !underLimit) return;
    const expiresAt = new Date(now.getTime() + EMAIL_LINK_TTL_MS);
    const token = await issueVisitorToken(tx, { visitorId: visitor.id, purpose: 'magic-link', expiresAt });
    await queueMail(ctx, tx, {
      to: visitor.email,
      template: 'trust-magic-link',
      locale: input.locale,
      cause: actor,
      vars: {
        organizationName: settings.companyName,
        link: visitorUrl(ctx, input.locale, `/access/login/${token}`),
        expiresAt,
      },
    });
  });
}

/** Whether a sign-in link is still usable (the page then offers the button that uses it). */
export async function isMagicLinkLive(ctx: AppContext, token: string): Promise<boolean> {
  return (await findLiveVisitorToken(ctx.database.db, token, 'magic-link', new Date())) !== undefined;
}

/**
 * Uses up a sign-in link and issues the visitor's access token (256 random bits, stored hashed), which
 * expires with their latest active grant. Undefined (link spent or not) when the link is unknown, used or
 * expired, or no grant is active any more.
 */
export async function exchangeMagicLink(
  ctx: AppContext,
  actor: Actor,
  token: string,
): Promise<string | undefined> {
  const now = new Date();
  return ctx.database.db.transaction(async (tx) => {
    const used = await consumeVisitorToken(tx, token, 'magic-link', now);
    if (!used) return undefined;
    const visitor = await findVisitor(tx, used.visitorId);
    if (!visitor?.emailVerifiedAt || visitor.erasedAt) return undefined;
    const grants = await findActiveGrants(tx, visitor.id, now);
    if (grants.length === 0) return undefined;
    const expiresAt = new Date(Math.max(...grants.map((grant) => grant.expiresAt.getTime())));
    const accessToken = await issueVisitorToken(tx, { visitorId: visitor.id, purpose: 'access', expiresAt });
    await recordAudit(tx, actor, {
      action: 'trust.visitor.signed-in',
      targetType: 'trust-visitor',
      targetId: visitor.id,
      details: { expiresAt },
    });
    return accessToken;
  });
}
