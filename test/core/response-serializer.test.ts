import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseJsonSchema, responseSerializerCompiler } from '../../src/core/http/serializer.ts';

const user = z.object({ id: z.string(), email: z.string(), role: z.enum(['admin', 'viewer']) });
const page = z.object({
  items: z.array(user),
  owner: user.nullable(),
  next: z.string().nullable(),
});

async function serve(schema: z.ZodType, body: unknown) {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  app.get('/', { schema: { response: { 200: schema } } }, async () => body);
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return response;
}

describe('response serialisation compiled from the zod schemas', () => {
  it('never sends a field the response schema does not declare, at any depth', async () => {
    const leaky = { id: 'u1', email: 'a@example.test', role: 'admin', password_hash: '$argon2id$secret' };
    const response = await serve(page, {
      items: [leaky, { ...leaky, id: 'u2', totp_secret: 'JBSWY3DP' }],
      owner: leaky,
      next: null,
      sessionToken: 'top-level-secret',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('password_hash');
    expect(response.body).not.toContain('$argon2id$secret');
    expect(response.body).not.toContain('JBSWY3DP');
    expect(response.body).not.toContain('top-level-secret');
    expect(response.json()).toEqual({
      items: [
        { id: 'u1', email: 'a@example.test', role: 'admin' },
        { id: 'u2', email: 'a@example.test', role: 'admin' },
      ],
      owner: { id: 'u1', email: 'a@example.test', role: 'admin' },
      next: null,
    });
  });

  it('compiles plain schemas to JSON Schema (fast-json-stringify) and keeps zod where it cannot', () => {
    expect(responseJsonSchema(page)).toMatchObject({ type: 'object' });
    // A transform runs code: zod's serializer keeps it, and still strips undeclared fields.
    expect(responseJsonSchema(z.object({ at: z.date() }))).toBeUndefined();
    expect(responseJsonSchema(z.string().transform((value) => value.length))).toBeUndefined();
  });

  it('falls back to zod for a schema with a date, stripping undeclared fields too', async () => {
    const response = await serve(z.object({ at: z.date(), id: z.string() }), {
      at: new Date('2026-01-02T03:04:05.000Z'),
      id: 'x',
      password_hash: 'secret',
    });
    expect(response.json()).toEqual({ at: '2026-01-02T03:04:05.000Z', id: 'x' });
  });

  it('refuses to answer with a required field missing rather than send a partial object', async () => {
    const response = await serve(user, { id: 'u1', role: 'admin' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('u1');
  });
});
