import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { roleOf } from '../core/http/actor.ts';
import { problemResponses } from '../core/http/fields.ts';
import { ATTENTION_KEYS, getHome, ONBOARDING_KEYS } from './home.service.ts';

const HomeView = z.object({
  onboarding: z.array(z.object({ key: z.enum(ONBOARDING_KEYS), done: z.boolean(), path: z.string() })),
  attention: z.array(z.object({ key: z.enum(ATTENTION_KEYS), count: z.number().int(), path: z.string() })),
});

/** The admin home under /api/v1/home: the caller's next steps and the counts of work waiting, by role. */
export function homePlugin(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/',
      {
        config: { permission: 'home.read' },
        schema: {
          operationId: 'getHome',
          tags: ['home'],
          response: { 200: HomeView, ...problemResponses },
        },
      },
      async (request) => {
        const role = roleOf(request.actor);
        // The guard let only signed-in roles through; a role-less actor sees an empty home.
        return role ? getHome(ctx, role) : { onboarding: [], attention: [] };
      },
    );
  };
}
