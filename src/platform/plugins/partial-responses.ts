import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { documentedPage, fieldsParam, listShape, partialSerializer, requestedFields } from '../http/partial-response.ts';
import { serializeAs } from '../http/serializer.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Partial responses on every list (README "Partial responses"): a GET whose 200 answer is a page
 * of objects (`{items: [...], ...paging}`) takes `fields=a,b` and answers each item with only those
 * fields and its id, the paging keys untouched. One onRoute hook, so no list is a special case;
 * runs after strictInputDefaults (every route has a strict querystring by then).
 */
export function partialResponses(route: RouteOptions): void {
  const schema = route.schema;
  // HEAD too: Fastify's automatic HEAD route of a list is built from the GET's original options.
  if (!schema || schema.hide || ![route.method].flat().some((method) => method === 'GET' || method === 'HEAD')) return;
  const { response, querystring } = schema;
  if (!isRecord(response) || !(querystring instanceof z.ZodObject) || 'fields' in querystring.shape) return;
  const shape = listShape(response[200]);
  if (!shape) return;
  const documented = documentedPage(shape);
  serializeAs(documented, shape.page);
  route.schema = { ...schema, querystring: querystring.extend({ fields: fieldsParam(shape) }), response: { ...response, 200: documented } };
  const choose = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const fields = requestedFields(request.query);
    if (fields && reply.statusCode === 200) reply.serializer(partialSerializer(shape, fields));
    return payload;
  };
  route.preSerialization = [route.preSerialization ?? []].flat().concat(choose);
}
