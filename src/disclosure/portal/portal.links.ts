import type { AppContext } from '../../core/context.ts';
import { randomToken, sha256Hex } from '../../core/crypto/index.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { disclosureResearcherLinks } from '../tables.ts';

/** How long a portal link mailed to a researcher opens their reports. */
export const PORTAL_LINK_TTL_MS = 7 * 24 * 3600 * 1000;

/** The researcher portal's entry for a magic-link token. */
export function portalUrl(ctx: Pick<AppContext, 'config'>, locale: Locale, token: string): string {
  return `${ctx.config.publicUrl}/${locale}/security/portal/${token}`;
}

/**
 * A magic link to every report sent from one address (identified by its hash). Only the token's hash
 * is stored; the link itself exists only in the mail.
 */
export async function issuePortalLink(
  ctx: AppContext,
  q: Queryable,
  emailHash: string,
  locale: Locale,
): Promise<{ url: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + PORTAL_LINK_TTL_MS);
  await q.insert(disclosureResearcherLinks).values({ emailHash, tokenHash: sha256Hex(token), expiresAt });
  return { url: portalUrl(ctx, locale, token), expiresAt };
}
