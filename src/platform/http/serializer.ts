import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

export type Serializer = (data: unknown) => string;

/** Every JSON object is an AnySchema to fast-json-stringify (all its keywords are optional). */
function isJsonSchemaObject(value: unknown): value is fastJson.AnySchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const compiled = new WeakMap<z.ZodType, Serializer>();

/**
 * Response schemas that document more than is serialized: a list's 200 is documented as the full
 * page or a partial one (`fields`), but serialized as the full page (a partial page gets its own
 * serializer per request, see partial-response.ts).
 */
const serializedAs = new WeakMap<z.ZodType, z.ZodType>();

export function serializeAs(documented: z.ZodType, serialized: z.ZodType): void {
  serializedAs.set(documented, serialized);
}

/**
 * Response serialization with fast-json-stringify (what Fastify itself uses) compiled once from
 * each route's Zod response schema. It writes only the declared properties, so columns a schema
 * does not list (password hashes, owner ids, tokens) can never reach a client. The Zod type
 * provider's own serializer walks every value through Zod's encoder and then JSON.stringify: on a
 * month of occurrences (~500 KB) that was the largest cost of the request.
 */
export function compileSerializer(schema: z.ZodType): Serializer {
  const jsonSchema = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'output',
    unrepresentable: 'any',
    override: (ctx) => {
      // Instants are Date objects in our rows; fast-json-stringify writes them as ISO 8601 UTC.
      if (ctx.zodSchema._zod.def.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  });
  if (!isJsonSchemaObject(jsonSchema)) throw new Error('a response schema did not convert to a JSON Schema object');
  const stringify = fastJson(jsonSchema);
  return (data) => String(stringify(data));
}

/** The serializer of a response schema, compiled once (the one Fastify uses for it). */
export function serializerOf(schema: z.ZodType): Serializer {
  const serialized = serializedAs.get(schema) ?? schema;
  let serializer = compiled.get(serialized);
  if (!serializer) {
    serializer = compileSerializer(serialized);
    compiled.set(serialized, serializer);
  }
  return serializer;
}

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema, method, url }) => {
  if (!(schema instanceof z.ZodType)) throw new Error(`${method} ${url}: response schemas must be Zod schemas`);
  return serializerOf(schema);
};
