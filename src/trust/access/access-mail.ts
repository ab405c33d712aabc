import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import { isLocale, type Locale } from '../../core/i18n/index.ts';
import { findActiveUsersByRole } from '../../identity/index.ts';

/** Roles told about new access requests and sent the company's copy of each signed NDA. */
const TRUST_MANAGER_ROLES = ['owner', 'admin', 'compliance'];

/** Absolute URL of a visitor page: `<public URL>/<locale><path>`. */
export function visitorUrl(ctx: Pick<AppContext, 'config'>, locale: Locale, path: string): string {
  return `${ctx.config.publicUrl}/${locale}${path}`;
}

/** Active staff who manage the trust center (owners, admins, compliance), with their language. */
export async function findTrustManagers(q: Queryable): Promise<{ email: string; locale: Locale }[]> {
  const rows = await findActiveUsersByRole(q, TRUST_MANAGER_ROLES);
  return rows.map((row) => ({ email: row.email, locale: isLocale(row.locale) ? row.locale : 'en' }));
}
