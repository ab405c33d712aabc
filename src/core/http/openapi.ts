import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

const SWAGGER_UI_STYLE_HASH = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/**
 * OpenAPI 3 at /api/openapi.json, generated from the routes' zod schemas, and a browsable page at
 * /api/docs. Each operation carries `x-attest-permission` (or `security: []` when public), and
 * `x-attest-pending-mfa` / `x-attest-session-only` when its route says so.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  /** Read when the document is served: the public URL can change while the server runs (Settings). */
  options: { readonly version: string; readonly publicUrl: string },
) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Attest API',
        version: options.version,
        description: 'Errors are application/problem+json (RFC 9457).',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'attest_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `attest token create`' },
        },
      },
    },
    transform: (input) => {
      const output = jsonSchemaTransform(input);
      const config = (input.route.config ?? {}) as {
        public?: boolean;
        permission?: string;
        allowPendingMfa?: boolean;
        sessionOnly?: boolean;
      };
      // A route without a schema comes back with none; it still gets its security and permission.
      const schema = (output.schema ?? {}) as Record<string, unknown>;
      if (schema.hide) return output;
      if (config.public) schema.security = [];
      else schema.security = [{ session: [] }, { bearer: [] }];
      if (config.permission) schema['x-attest-permission'] = config.permission;
      if (config.allowPendingMfa) schema['x-attest-pending-mfa'] = true;
      if (config.sessionOnly) schema['x-attest-session-only'] = true;
      return { ...output, schema };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    // swagger-ui's own policy, tightened to ours: no framing, no third-party hosts, and no forced
    // https upgrade on a plain-http install (browsers would then fail to load the page's assets).
    transformStaticCSP: (header) =>
      header
        .replace(/frame-ancestors 'self'/, "frame-ancestors 'none'")
        .replace(/ validator\.swagger\.io/, '')
        .replaceAll(' https:', '')
        // swagger-ui injects one fixed <style> block: allowed by its hash, not by 'unsafe-inline'. The
        // e2e test of this page fails when an upgrade changes that block.
        .replace(
          /style-src 'self'\s*;/,
          `style-src 'self' '${SWAGGER_UI_STYLE_HASH}'; style-src-attr 'unsafe-inline';`,
        )
        .replace(
          /upgrade-insecure-requests;?/,
          options.publicUrl.startsWith('https://') ? 'upgrade-insecure-requests;' : '',
        ),
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, () => ({
    ...app.swagger(),
    servers: [{ url: options.publicUrl }],
  }));
}
