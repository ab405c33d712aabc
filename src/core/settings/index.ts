import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import type { Actor } from '../http/actor.ts';
import { problemResponses } from '../http/fields.ts';
import { applyPublicUrl, forgetOrganization, organizationDefaults } from './organization.ts';
import {
  getSettings,
  OrganizationSettings,
  PublicUrl,
  SecurityContactEmail,
  saveSettings,
} from './settings.service.ts';

export {
  DEFAULT_ORGANIZATION_NAME,
  getOrganization,
  isPlaceholderEmail,
  type Organization,
  organizationDefaults,
  realSecurityContact,
} from './organization.ts';
export { getSettings, PublicUrl, SecurityContactEmail } from './settings.service.ts';

/** What an owner may change: any subset of the facts; the security contact can be replaced, not removed. */
export const OrganizationChanges = z
  .strictObject({
    organizationName: OrganizationSettings.shape.organizationName,
    defaultLocale: OrganizationSettings.shape.defaultLocale,
    publicUrl: PublicUrl,
    securityContact: SecurityContactEmail,
  })
  .partial();
export type OrganizationChanges = z.infer<typeof OrganizationChanges>;

// A plain output schema: response serialization cannot run the input schema's transforms.
const SettingsView = z.object({
  organizationName: z.string(),
  defaultLocale: z.enum(['en', 'es', 'fr']),
  publicUrl: z.string(),
  securityContact: z.string().nullable(),
  mailMode: z.enum(['smtp', 'outbox']),
  /** ATTEST_PUBLIC_URL (or http://localhost:PORT): what the public URL is when none is stored. */
  envPublicUrl: z.string(),
});

/**
 * Saves organization facts inside `tx` with one `settings.updated` audit entry naming the changed
 * fields and their new values (none is secret). The caller's process uses them at once.
 */
export async function updateOrganization(
  ctx: AppContext,
  tx: Queryable,
  actor: Actor,
  changes: OrganizationChanges,
): Promise<void> {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(defined).length === 0) return;
  await saveSettings(tx, defined);
  await recordAudit(tx, actor, { action: 'settings.updated', details: { changes: defined } });
}

/** After the transaction of updateOrganization committed: this process sees the change now. */
export function organizationChanged(ctx: AppContext, changes: OrganizationChanges): void {
  forgetOrganization(ctx);
  if (changes.publicUrl) applyPublicUrl(ctx, changes.publicUrl);
}

export function settingsPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const view = async () => ({
      ...(await getSettings(ctx.database.db, organizationDefaults(ctx))),
      mailMode: ctx.mailer.mode,
      envPublicUrl: ctx.config.envPublicUrl,
    });
    app.get(
      '/',
      {
        config: { permission: 'settings.read' },
        schema: {
          operationId: 'getSettings',
          tags: ['settings'],
          response: { 200: SettingsView, ...problemResponses },
        },
      },
      view,
    );
    app.patch(
      '/',
      {
        config: { permission: 'settings.manage' },
        schema: {
          operationId: 'updateSettings',
          tags: ['settings'],
          body: OrganizationChanges,
          response: { 200: SettingsView, ...problemResponses },
        },
      },
      async (request) => {
        await ctx.database.db.transaction((tx) => updateOrganization(ctx, tx, request.actor, request.body));
        organizationChanged(ctx, request.body);
        return view();
      },
    );
  };
}
