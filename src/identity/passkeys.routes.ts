import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { Id, problemResponses } from '../core/http/fields.ts';
import {
  addPasskey,
  listMyPasskeys,
  loginWithPasskey,
  removePasskey,
  startPasskeyLogin,
  startPasskeyRegistration,
  startPasskeyStepUp,
} from './passkeys.service.ts';
import { sessionActorOf } from './session.routes.ts';
import { setSessionCookie } from './sessions.service.ts';

// --- Request shapes (WebAuthn Level 3 §5.1: RegistrationResponseJSON, AuthenticationResponseJSON) ----
// Zod checks the outer shape and bounds; the inner objects pass through to @simplewebauthn/server,
// which checks their content and answers a 400 problem for anything it cannot verify.

const Base64Url = (maxLength: number) =>
  z
    .string()
    .min(1)
    .max(maxLength)
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'base64url without padding' });
/** §5.8.3: a credential id is at most 1023 bytes, 1364 characters of base64url. */
const CredentialId = Base64Url(1364);
const Transports = z.array(z.string().regex(/^[a-z-]{1,32}$/)).max(10);
const ClientExtensionResults = z
  .looseObject({ appid: z.boolean().optional(), hmacCreateSecret: z.boolean().optional() })
  .describe('AuthenticationExtensionsClientOutputs');
const credentialFields = {
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ClientExtensionResults,
};

export const RegistrationResponse = z
  .strictObject({
    ...credentialFields,
    response: z.looseObject({
      clientDataJSON: Base64Url(10_000),
      attestationObject: Base64Url(100_000),
      authenticatorData: Base64Url(100_000).optional(),
      transports: Transports.optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: Base64Url(10_000).optional(),
    }),
  })
  .describe('RegistrationResponseJSON from navigator.credentials.create()');

export const AuthenticationResponse = z
  .strictObject({
    ...credentialFields,
    response: z.looseObject({
      clientDataJSON: Base64Url(10_000),
      authenticatorData: Base64Url(10_000),
      signature: Base64Url(10_000),
      userHandle: Base64Url(100).optional(),
    }),
  })
  .describe('AuthenticationResponseJSON from navigator.credentials.get()');

// --- Response shapes -------------------------------------------------------------------------------

const PasskeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
const CredentialDescriptor = z.object({
  id: z.string(),
  type: z.string(),
  transports: z.array(z.string()).optional(),
});
const Extensions = z.object({ credProps: z.boolean().optional() });

const CreationOptionsView = z
  .object({
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
    timeout: z.number().int().optional(),
    excludeCredentials: z.array(CredentialDescriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
        requireResidentKey: z.boolean().optional(),
        residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
        userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
      })
      .optional(),
    hints: z.array(z.string()).optional(),
    attestation: z.enum(['none', 'indirect', 'direct', 'enterprise']).optional(),
    extensions: Extensions.optional(),
  })
  .describe('PublicKeyCredentialCreationOptionsJSON, for navigator.credentials.create()');

const RequestOptionsView = z
  .object({
    challenge: z.string(),
    timeout: z.number().int().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(CredentialDescriptor).optional(),
    userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    hints: z.array(z.string()).optional(),
    extensions: Extensions.optional(),
  })
  .describe('PublicKeyCredentialRequestOptionsJSON, for navigator.credentials.get()');

/**
 * The proof a factor change carries (TOTP enrolment, recovery codes, adding or removing a passkey):
 * the password always, and a current factor when the account has one. Missing parts answer 403
 * `step-up-required`, wrong ones 403 `step-up-failed` (which one is not said).
 */
export const StepUpFields = {
  password: z.string().min(1).max(256).describe('The account password'),
  currentCode: z
    .string()
    .trim()
    .min(6)
    .max(20)
    .optional()
    .describe('A current TOTP code or an unused recovery code'),
  currentPasskey: AuthenticationResponse.optional().describe(
    'An assertion answering POST /api/v1/identity/me/step-up/passkey-options',
  ),
};

const self = { permission: 'identity.self.manage', sessionOnly: true } as const;
const pendingLogin = {
  allowPendingMfa: true,
  sessionOnly: true,
  rateLimit: { max: 20, timeWindow: 60_000 },
} as const;

/** Passkeys (WebAuthn) as a second factor: the user's own list, adding and removing, and the sign-in step. */
export function passkeyRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['identity: passkeys'];

    app.get(
      '/me/passkeys',
      {
        config: self,
        schema: {
          operationId: 'listMyPasskeys',
          tags,
          response: { 200: z.object({ items: z.array(PasskeyView) }), ...problemResponses },
        },
      },
      (request) => listMyPasskeys(ctx, sessionActorOf(request)),
    );

    app.post(
      '/me/passkeys/options',
      {
        config: self,
        schema: {
          operationId: 'startMyPasskeyRegistration',
          description: 'Needs the password, and a current second factor when the account has one.',
          tags,
          body: z.strictObject(StepUpFields),
          response: { 200: CreationOptionsView, ...problemResponses },
        },
      },
      (request) => startPasskeyRegistration(ctx, sessionActorOf(request), request.body),
    );

    app.post(
      '/me/passkeys',
      {
        config: self,
        schema: {
          operationId: 'addMyPasskey',
          tags,
          body: z.strictObject({ name: z.string().trim().min(1).max(100), response: RegistrationResponse }),
          response: { 201: PasskeyView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const view = await addPasskey(ctx, sessionActorOf(request), request.body);
        return reply.status(201).send(view);
      },
    );

    app.delete(
      '/me/passkeys/:passkeyId',
      {
        config: self,
        schema: {
          operationId: 'removeMyPasskey',
          description: 'Needs the password and a current second factor (this passkey or another).',
          tags,
          params: z.strictObject({ passkeyId: Id }),
          body: z.strictObject(StepUpFields),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await removePasskey(ctx, sessionActorOf(request), request.params.passkeyId, request.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/me/step-up/passkey-options',
      {
        config: { ...self, rateLimit: { max: 20, timeWindow: 60_000 } },
        schema: {
          operationId: 'startMyPasskeyStepUp',
          description:
            'Options for navigator.credentials.get(): a passkey as the current factor before a factor change.',
          tags,
          response: { 200: RequestOptionsView, ...problemResponses },
        },
      },
      (request) => startPasskeyStepUp(ctx, sessionActorOf(request)),
    );

    app.post(
      '/login/webauthn/options',
      {
        config: pendingLogin,
        schema: {
          operationId: 'startWebauthnLogin',
          tags,
          response: { 200: RequestOptionsView, ...problemResponses },
        },
      },
      (request) => startPasskeyLogin(ctx, sessionActorOf(request)),
    );

    app.post(
      '/login/webauthn',
      {
        config: pendingLogin,
        schema: {
          operationId: 'loginWithWebauthn',
          tags,
          body: z.strictObject({ response: AuthenticationResponse }),
          response: {
            200: z.object({ state: z.literal('active'), remainingRecoveryCodes: z.number().int() }),
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const result = await loginWithPasskey(ctx, sessionActorOf(request), request.body.response);
        setSessionCookie(ctx, reply, result.token);
        return { state: result.state, remainingRecoveryCodes: result.remainingRecoveryCodes };
      },
    );
  };
}
