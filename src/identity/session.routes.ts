import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import type { SessionActor } from '../core/http/actor.ts';
import { Email, LocaleField, Name, Password, problemResponses, Role } from '../core/http/fields.ts';
import { problems } from '../core/http/problem.ts';
import { OrganizationChanges, PublicUrl, SecurityContactEmail } from '../core/settings/index.ts';
import { originOf } from './actor.ts';
import { acceptInvitation, lookupInvitation } from './invitations.service.ts';
import { loginWithPassword, loginWithSecondFactor, logout } from './login.service.ts';
import { completePasswordReset, requestPasswordReset } from './password-reset.service.ts';
import { clearSessionCookie, setSessionCookie } from './sessions.service.ts';
import { completeSetup, isSetupNeeded, startSetupTotp } from './setup.service.ts';
import { findUser } from './users.store.ts';
import { RecoveryCodesView, SessionStateView, TotpEnrolmentView, toUserView, UserView } from './views.ts';

const Token = z.string().min(16).max(200);
const Code = z.string().trim().min(6).max(20);
const publicWrite = { public: true, rateLimit: { max: 20, timeWindow: 60_000 } } as const;

export function sessionActorOf(request: FastifyRequest): SessionActor {
  if (request.actor.type !== 'user') throw problems.unauthenticated();
  return request.actor;
}

/** Setup, sign-in steps, the session itself, password reset and accepting an invitation. */
export function sessionRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['identity: session'];

    app.get(
      '/setup/status',
      {
        config: { public: true },
        schema: {
          operationId: 'getSetupStatus',
          tags,
          response: {
            200: z.object({
              needed: z.boolean(),
              /** While setup is needed: the public URL to pre-fill (ATTEST_PUBLIC_URL or the stored one). */
              publicUrl: z.string().optional(),
            }),
          },
        },
      },
      async () => {
        const needed = await isSetupNeeded(ctx);
        return needed ? { needed, publicUrl: ctx.config.publicUrl } : { needed };
      },
    );

    app.post(
      '/setup/totp',
      {
        config: publicWrite,
        schema: {
          operationId: 'startSetupTotp',
          tags,
          body: z.strictObject({ token: Token }),
          response: { 200: TotpEnrolmentView, ...problemResponses },
        },
      },
      (request) => startSetupTotp(ctx, request.body.token),
    );

    app.post(
      '/setup',
      {
        config: publicWrite,
        schema: {
          operationId: 'completeSetup',
          tags,
          body: z.strictObject({
            token: Token,
            email: Email,
            name: Name,
            password: Password,
            totpCode: Code,
            locale: LocaleField.default('en'),
            /** The organization's facts (the admin app asks them; scripts may set them later with `attest org set`). */
            organization: z
              .strictObject({
                name: OrganizationChanges.shape.organizationName.unwrap(),
                publicUrl: PublicUrl,
                securityContact: SecurityContactEmail,
              })
              .partial()
              .optional(),
          }),
          response: { 201: RecoveryCodesView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const result = await completeSetup(ctx, request.body, originOf(request));
        setSessionCookie(ctx, reply, result.token);
        return reply.status(201).send({ recoveryCodes: result.recoveryCodes });
      },
    );

    app.get(
      '/session',
      {
        config: { allowPendingMfa: true, sessionOnly: true },
        schema: {
          operationId: 'getSession',
          tags,
          response: {
            200: z.object({
              state: SessionStateView,
              user: UserView,
              csrfToken: z.string(),
              expiresAt: z.string(),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const actor = sessionActorOf(request);
        const user = await findUser(ctx.database.db, actor.user.id);
        if (!user) throw problems.unauthenticated();
        return {
          state: actor.session.state,
          user: toUserView(user),
          csrfToken: actor.session.csrfToken,
          expiresAt: actor.session.expiresAt.toISOString(),
        };
      },
    );

    const LoginView = z.object({
      state: SessionStateView,
      methods: z.array(z.enum(['totp', 'recovery', 'webauthn'])),
    });
    app.post(
      '/login',
      {
        config: publicWrite,
        schema: {
          operationId: 'login',
          tags,
          body: z.strictObject({ email: Email, password: z.string().min(1).max(256) }),
          response: { 200: LoginView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const replacingSession = request.actor.type === 'user' ? request.actor.session.id : undefined;
        const result = await loginWithPassword(ctx, {
          ...request.body,
          origin: originOf(request),
          replacingSession,
        });
        setSessionCookie(ctx, reply, result.token);
        return { state: result.state, methods: result.methods };
      },
    );

    for (const method of ['totp', 'recovery'] as const) {
      app.post(
        `/login/${method}`,
        {
          config: { allowPendingMfa: true, sessionOnly: true, rateLimit: { max: 20, timeWindow: 60_000 } },
          schema: {
            operationId: method === 'totp' ? 'loginWithTotp' : 'loginWithRecoveryCode',
            tags,
            body: z.strictObject({ code: Code }),
            response: {
              200: z.object({ state: z.literal('active'), remainingRecoveryCodes: z.number().int() }),
              ...problemResponses,
            },
          },
        },
        async (request, reply) => {
          const result = await loginWithSecondFactor(ctx, sessionActorOf(request), {
            method,
            code: request.body.code,
          });
          setSessionCookie(ctx, reply, result.token);
          return { state: result.state, remainingRecoveryCodes: result.remainingRecoveryCodes };
        },
      );
    }

    app.post(
      '/logout',
      {
        config: { allowPendingMfa: true, sessionOnly: true },
        schema: { operationId: 'logout', tags, response: { 204: z.null(), ...problemResponses } },
      },
      async (request, reply) => {
        await logout(ctx, sessionActorOf(request));
        clearSessionCookie(ctx, reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/password-reset',
      {
        config: publicWrite,
        schema: {
          operationId: 'requestPasswordReset',
          tags,
          body: z.strictObject({ email: Email }),
          response: { 202: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(ctx, request.body.email, originOf(request));
        return reply.status(202).send(null);
      },
    );

    app.post(
      '/password-reset/complete',
      {
        config: publicWrite,
        schema: {
          operationId: 'completePasswordReset',
          tags,
          body: z.strictObject({ token: Token, password: Password }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await completePasswordReset(ctx, request.body, originOf(request));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/invitations/lookup',
      {
        config: { public: true, rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          operationId: 'lookupInvitation',
          tags,
          querystring: z.strictObject({ token: Token }),
          response: {
            200: z.object({ email: z.string(), role: Role, organizationName: z.string() }),
            ...problemResponses,
          },
        },
      },
      (request) => lookupInvitation(ctx, request.query.token),
    );

    app.post(
      '/invitations/accept',
      {
        config: publicWrite,
        schema: {
          operationId: 'acceptInvitation',
          tags,
          body: z.strictObject({ token: Token, name: Name, password: Password }),
          response: { 201: z.object({ state: SessionStateView }), ...problemResponses },
        },
      },
      async (request, reply) => {
        const result = await acceptInvitation(ctx, request.body, originOf(request));
        setSessionCookie(ctx, reply, result.token);
        return reply.status(201).send({ state: result.state });
      },
    );
  };
}
