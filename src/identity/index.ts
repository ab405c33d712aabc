import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import type { JobDefinition } from '../core/jobs/index.ts';
import { accountRoutes } from './account.routes.ts';
import { adminRoutes } from './admin.routes.ts';
import { passkeyRoutes } from './passkeys.routes.ts';
import { passwordResetJob } from './password-reset.service.ts';
import { sessionRoutes } from './session.routes.ts';

export { createActorResolver } from './actor.ts';
export { createApiToken } from './api-tokens.service.ts';
export { hashPassword } from './passwords.ts';
export { can, type Permission } from './permissions.ts';
export { issueSetupLink } from './setup.service.ts';
export { resetUserMfa } from './users.service.ts';

/** Identity: users, sessions, MFA, invitations and API tokens, under /api/v1/identity. */
export function identityPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await ctx.jobs.define([passwordResetJob(ctx) as unknown as JobDefinition<z.ZodType>]);
    await app.register(sessionRoutes(ctx));
    await app.register(accountRoutes(ctx));
    await app.register(adminRoutes(ctx));
    await app.register(passkeyRoutes(ctx));
  };
}
export { teamInvited } from './home.attention.ts';
export { resealIdentitySecrets } from './key-rotation.ts';
export { findUserIdByEmail, provisionUser, SET_PASSWORD_LINK_TTL_HOURS } from './provision.service.ts';
export { findActiveUsersByRole, findUserSummaries } from './users.store.ts';
