import type { RouteOptions } from 'fastify';
import { z } from 'zod';

const NoQuery = z.strictObject({});
// A route that takes no body still accepts an empty one (`{}` or nothing), as clients that
// always send JSON expect, but any field in it is unknown and refused.
const NoBody = z.strictObject({}).nullish();
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Unknown query parameters and body fields are a 400 on every route (API.md "Conventions"), so
 * a typo never silently does nothing: routes that declare no querystring or body get empty
 * strict schemas. Runs as an onRoute hook, before Fastify compiles the route.
 */
export function strictInputDefaults(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema || schema.hide) return;
  const methods = [route.method].flat();
  route.schema = {
    ...schema,
    querystring: schema.querystring ?? NoQuery,
    ...(schema.body === undefined && methods.some((method) => BODY_METHODS.has(method)) ? { body: NoBody } : {}),
  };
}
