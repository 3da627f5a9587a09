import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import type { App } from '../../src/app.ts';

// Just enough of an OpenAPI 3.1 document to drive requests from it, with every $ref inlined.
const JsonSchema = z.record(z.string(), z.unknown());
const Parameter = z.looseObject({ name: z.string(), in: z.string(), required: z.boolean().optional(), schema: JsonSchema });
const Content = z.record(
  z.string(),
  z.looseObject({ schema: JsonSchema.optional(), example: z.unknown().optional(), examples: z.record(z.string(), z.looseObject({ value: z.unknown() })).optional() }),
);
const Operation = z.looseObject({
  parameters: z.array(Parameter).optional(),
  requestBody: z.looseObject({ content: Content }).optional(),
  responses: z.record(z.string(), z.looseObject({ content: Content.optional() })),
});
const Document = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export type JsonSchemaObject = z.infer<typeof JsonSchema>;
export type ApiParameter = z.infer<typeof Parameter>;

export type ApiOperation = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form, e.g. /api/todos/{id} */
  path: string;
  pathParams: ApiParameter[];
  queryParams: ApiParameter[];
  body: JsonSchemaObject | undefined;
  /** The request body's documented examples (@fastify/swagger moves a schema's `examples` there). */
  bodyExamples: unknown[];
  /** The body is multipart/form-data (a file upload), not JSON. */
  multipart: boolean;
  /** Declared responses: status -> content type -> validator (none for an empty body). */
  responses: Map<number, Map<string, ValidateFunction>>;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function examplesOf(media: z.infer<typeof Content>[string] | undefined): unknown[] {
  if (!media) return [];
  return [...(media.example === undefined ? [] : [media.example]), ...Object.values(media.examples ?? {}).map((example) => example.value)];
}

function upper(method: (typeof METHODS)[number]): ApiOperation['method'] {
  return method === 'get' ? 'GET' : method === 'post' ? 'POST' : method === 'put' ? 'PUT' : method === 'patch' ? 'PATCH' : 'DELETE';
}

/** Every operation of the app's live OpenAPI document, dereferenced, with response validators. */
export async function loadOperations(app: App): Promise<ApiOperation[]> {
  const raw: unknown = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const dereferenced: unknown = await SwaggerParser.dereference(structuredClone(Document.parse(raw)));
  const document = Document.parse(dereferenced);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      if (!(method in item)) continue;
      const operation = Operation.parse(item[method]);
      const parameters = operation.parameters ?? [];
      const responses = new Map<number, Map<string, ValidateFunction>>();
      for (const [status, response] of Object.entries(operation.responses)) {
        const byType = new Map<string, ValidateFunction>();
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.schema) byType.set(type, ajv.compile(media.schema));
        }
        responses.set(Number(status), byType);
      }
      operations.push({
        method: upper(method),
        path,
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        body: operation.requestBody?.content['application/json']?.schema,
        bodyExamples: examplesOf(operation.requestBody?.content['application/json']),
        multipart: operation.requestBody?.content['multipart/form-data'] !== undefined,
        responses,
      });
    }
  }
  return operations;
}

/** `/api/todos/{id}` with the given values for its parameters. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'missing'));
}
