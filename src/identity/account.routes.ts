import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { LocaleField, Name, Password, problemResponses } from '../core/http/fields.ts';
import { problems } from '../core/http/problem.ts';
import {
  changePassword,
  confirmTotpEnrolment,
  listMySessions,
  regenerateRecoveryCodes,
  revokeMySession,
  startTotpEnrolment,
  updateProfile,
} from './account.service.ts';
import { StepUpFields } from './passkeys.routes.ts';
import { sessionActorOf } from './session.routes.ts';
import { setSessionCookie } from './sessions.service.ts';
import { RecoveryCodesView, TotpEnrolmentView, UserView } from './views.ts';

const self = { permission: 'identity.self.manage', sessionOnly: true } as const;
/** TOTP enrolment must work before the session is complete: staff invited without MFA enrol here first. */
const enrolment = { allowPendingMfa: true, sessionOnly: true } as const;

/** The signed-in user's own account: profile, password, TOTP, recovery codes, sessions. */
export function accountRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['identity: account'];

    app.patch(
      '/me',
      {
        config: self,
        schema: {
          operationId: 'updateMe',
          tags,
          body: z.strictObject({ name: Name.optional(), locale: LocaleField.optional() }),
          response: { 200: UserView, ...problemResponses },
        },
      },
      (request) => updateProfile(ctx, sessionActorOf(request), request.body),
    );

    app.post(
      '/me/password',
      {
        config: { ...self, rateLimit: { max: 10, timeWindow: 60_000 } },
        schema: {
          operationId: 'changeMyPassword',
          tags,
          body: z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: Password }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const result = await changePassword(ctx, sessionActorOf(request), request.body);
        setSessionCookie(ctx, reply, result.token);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/me/totp/setup',
      {
        config: enrolment,
        schema: {
          operationId: 'startMyTotpEnrolment',
          tags,
          response: { 200: TotpEnrolmentView, ...problemResponses },
        },
      },
      async (request) => {
        const actor = sessionActorOf(request);
        // A pending sign-in (password only) may not swap the factor it is about to be asked for.
        if (actor.session.state === 'mfa_required') throw problems.mfaRequired();
        return startTotpEnrolment(ctx, actor);
      },
    );

    app.post(
      '/me/totp/confirm',
      {
        config: { ...enrolment, rateLimit: { max: 20, timeWindow: 60_000 } },
        schema: {
          operationId: 'confirmMyTotpEnrolment',
          description:
            'Confirms the new authenticator with `code`. Except during the first enrolment right after ' +
            'sign-in, it also needs the password and a current second factor when the account has one.',
          tags,
          body: z.strictObject({
            code: z.string().trim().min(6).max(10),
            ...StepUpFields,
            // Not needed in the first enrolment right after sign-in; the service asks for it otherwise.
            password: StepUpFields.password.optional(),
          }),
          response: { 200: RecoveryCodesView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const actor = sessionActorOf(request);
        if (actor.session.state === 'mfa_required') throw problems.mfaRequired();
        const result = await confirmTotpEnrolment(ctx, actor, request.body);
        setSessionCookie(ctx, reply, result.token);
        return { recoveryCodes: result.recoveryCodes };
      },
    );

    app.post(
      '/me/recovery-codes',
      {
        config: { ...self, rateLimit: { max: 10, timeWindow: 60_000 } },
        schema: {
          operationId: 'regenerateMyRecoveryCodes',
          description: 'Needs the password and a current second factor.',
          tags,
          body: z.strictObject(StepUpFields),
          response: { 200: RecoveryCodesView, ...problemResponses },
        },
      },
      (request) => regenerateRecoveryCodes(ctx, sessionActorOf(request), request.body),
    );

    const SessionView = z.object({
      id: z.uuid(),
      current: z.boolean(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      createdAt: z.string(),
      lastSeenAt: z.string(),
    });
    app.get(
      '/me/sessions',
      {
        config: self,
        schema: {
          operationId: 'listMySessions',
          tags,
          response: { 200: z.object({ items: z.array(SessionView) }), ...problemResponses },
        },
      },
      (request) => listMySessions(ctx, sessionActorOf(request)),
    );

    app.delete(
      '/me/sessions/:sessionId',
      {
        config: self,
        schema: {
          operationId: 'revokeMySession',
          tags,
          params: z.strictObject({ sessionId: z.uuid() }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await revokeMySession(ctx, sessionActorOf(request), request.params.sessionId);
        return reply.status(204).send(null);
      },
    );
  };
}
