import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/context.ts';

// Placeholder: the module that owns this file replaces it.
export function advisorySiteRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => {};
}
