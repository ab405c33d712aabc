import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { createSerializerCompiler } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';

type RouteSchema = Parameters<FastifySerializerCompiler<unknown>>[0];

const zodSerializer = createSerializerCompiler();

/** `response` schemas may be a zod type or `{ properties: zodType }` (fastify-type-provider-zod's two forms). */
function zodTypeOf(schema: unknown): ZodType | undefined {
  if (schema instanceof z.ZodType) return schema;
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return properties instanceof z.ZodType ? properties : undefined;
}

/**
 * zod writes `additionalProperties: false` on every object for the output side. fast-json-stringify writes
 * only declared properties anyway, but it checks a union's (`anyOf`) branches with ajv, where that keyword
 * would make a value carrying an extra field match no branch and fail the answer instead of dropping it.
 */
function withoutClosedObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClosedObjects);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'additionalProperties' && child === false) continue;
    result[key] = withoutClosedObjects(child);
  }
  return result;
}

/**
 * The JSON Schema of what a route answers, or undefined when zod cannot describe it without running
 * code: a transform, a date, a bigint, a custom check (zod throws on those, and they keep zod's serializer).
 */
export function responseJsonSchema(schema: ZodType): Record<string, unknown> | undefined {
  try {
    const jsonSchema = z.toJSONSchema(schema, {
      io: 'output',
      target: 'draft-7',
      unrepresentable: 'throw',
      cycles: 'throw',
      reused: 'inline',
    });
    return withoutClosedObjects(jsonSchema) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Response serialisation compiled once per route and status from its zod schema by fast-json-stringify
 * (the serializer Fastify itself uses for JSON Schema routes), instead of zod re-checking every answer
 * (~6 % of an API read). It writes only the properties the schema declares, at every depth, so a field
 * a handler forgot to drop (a password hash, a secret) never leaves — the property zod's stripping gave.
 * It does not re-validate values: handlers are typed against the same schema. A schema zod cannot turn
 * into JSON Schema (transforms, dates, codecs) keeps zod's own serializer.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<unknown> = (route: RouteSchema) => {
  const zodType = zodTypeOf(route.schema);
  const jsonSchema = zodType ? responseJsonSchema(zodType) : undefined;
  if (jsonSchema) {
    try {
      const { $schema: _ignored, ...withoutDialect } = jsonSchema;
      const stringify = fastJson(withoutDialect as unknown as Parameters<typeof fastJson>[0]);
      return (data: unknown) => stringify(data);
    } catch {
      // A schema fast-json-stringify refuses: zod's serializer below still answers correctly.
    }
  }
  return zodSerializer(route as Parameters<typeof zodSerializer>[0]);
};
