import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { Email, LocaleField, Name, PageQuery, problemResponses, Role } from '../core/http/fields.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.ts';
import { inviteUser, listInvitations, revokeInvitation } from './invitations.service.ts';
import { listUsers, resetUserMfa, updateUserAccess } from './users.service.ts';
import { UserView } from './views.ts';

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const InvitationView = z.object({
  id: z.uuid(),
  email: z.string(),
  role: Role,
  status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

const ApiTokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  role: Role,
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Managing other people: users, invitations, API tokens. */
export function adminRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/users',
      {
        config: { permission: 'identity.user.read' },
        schema: {
          operationId: 'listUsers',
          tags: ['identity: users'],
          querystring: PageQuery.extend({ q: z.string().trim().max(200).optional(), role: Role.optional() }),
          response: { 200: page(UserView), ...problemResponses },
        },
      },
      (request) => listUsers(ctx, request.query),
    );

    app.patch(
      '/users/:userId',
      {
        config: { permission: 'identity.user.manage' },
        schema: {
          operationId: 'updateUser',
          tags: ['identity: users'],
          params: z.strictObject({ userId: z.uuid() }),
          body: z
            .strictObject({ role: Role.optional(), status: z.enum(['active', 'disabled']).optional() })
            .refine((body) => body.role !== undefined || body.status !== undefined, {
              error: 'give role or status',
            }),
          response: { 200: UserView, ...problemResponses },
        },
      },
      (request) => updateUserAccess(ctx, request.actor, request.params.userId, request.body),
    );

    app.post(
      '/users/:userId/reset-mfa',
      {
        config: { permission: 'identity.user.manage' },
        schema: {
          operationId: 'resetUserMfa',
          tags: ['identity: users'],
          params: z.strictObject({ userId: z.uuid() }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await resetUserMfa(ctx, request.actor, request.params.userId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/invitations',
      {
        config: { permission: 'identity.invitation.manage' },
        schema: {
          operationId: 'listInvitations',
          tags: ['identity: invitations'],
          querystring: PageQuery,
          response: { 200: page(InvitationView), ...problemResponses },
        },
      },
      (request) => listInvitations(ctx, request.query),
    );

    app.post(
      '/invitations',
      {
        config: { permission: 'identity.invitation.manage' },
        schema: {
          operationId: 'inviteUser',
          tags: ['identity: invitations'],
          body: z.strictObject({ email: Email, role: Role, locale: LocaleField.optional() }),
          response: { 201: InvitationView, ...problemResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await inviteUser(ctx, request.actor, request.body)),
    );

    app.delete(
      '/invitations/:invitationId',
      {
        config: { permission: 'identity.invitation.manage' },
        schema: {
          operationId: 'revokeInvitation',
          tags: ['identity: invitations'],
          params: z.strictObject({ invitationId: z.uuid() }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await revokeInvitation(ctx, request.actor, request.params.invitationId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/tokens',
      {
        config: { permission: 'identity.token.manage' },
        schema: {
          operationId: 'listApiTokens',
          tags: ['identity: tokens'],
          querystring: PageQuery,
          response: { 200: page(ApiTokenView), ...problemResponses },
        },
      },
      (request) => listApiTokens(ctx, request.query),
    );

    app.post(
      '/tokens',
      {
        config: { permission: 'identity.token.manage' },
        schema: {
          operationId: 'createApiToken',
          tags: ['identity: tokens'],
          body: z.strictObject({
            name: Name,
            role: Role,
            expiresInDays: z.number().int().min(1).max(365).default(90),
          }),
          response: { 201: ApiTokenView.extend({ token: z.string() }), ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createApiToken(ctx, request.actor, request.body)),
    );

    app.delete(
      '/tokens/:tokenId',
      {
        config: { permission: 'identity.token.manage' },
        schema: {
          operationId: 'revokeApiToken',
          tags: ['identity: tokens'],
          params: z.strictObject({ tokenId: z.uuid() }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await revokeApiToken(ctx, request.actor, request.params.tokenId);
        return reply.status(204).send(null);
      },
    );
  };
}
