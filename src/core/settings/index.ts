import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../context.ts';
import { problemResponses } from '../http/fields.ts';
import { getSettings, OrganizationSettings, saveSettings } from './settings.service.ts';

export { getSettings } from './settings.service.ts';

const SettingsView = OrganizationSettings.extend({
  publicUrl: z.string(),
  mailMode: z.enum(['smtp', 'outbox']),
});

export function organizationDefaults(ctx: AppContext) {
  return { organizationName: 'Attest', defaultLocale: ctx.config.defaultLocale };
}

export function settingsPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const view = async () => ({
      ...(await getSettings(ctx.database.db, organizationDefaults(ctx))),
      publicUrl: ctx.config.publicUrl,
      mailMode: ctx.mailer.mode,
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
          body: OrganizationSettings.partial().strict(),
          response: { 200: SettingsView, ...problemResponses },
        },
      },
      async (request) => {
        await ctx.database.db.transaction(async (tx) => {
          await saveSettings(tx, request.body);
          await recordAudit(tx, request.actor, {
            action: 'settings.updated',
            details: { changes: request.body },
          });
        });
        return view();
      },
    );
  };
}
