import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { compileSerializer, type Serializer, serializerOf } from './serializer.ts';

/** A list's 200 answer: an object whose `items` is an array of objects, next to its paging keys. */
export type ListShape = { page: z.ZodObject; item: z.ZodObject };

export function listShape(schema: unknown): ListShape | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const items: unknown = schema.shape.items;
  if (!(items instanceof z.ZodArray) || !(items.element instanceof z.ZodObject)) return undefined;
  return { page: schema, item: items.element };
}

function itemNames(shape: ListShape): string[] {
  return Object.keys(shape.item.shape);
}

function quoted(names: string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}

/**
 * `fields=id,title,start_at`: the item fields to answer with, comma-separated; `id` is always
 * included. Becomes the chosen names in the item's own order (one spelling per field set, which
 * keys the serializer cache); an unknown name is a 400 naming `fields`.
 */
export function fieldsParam(shape: ListShape) {
  const names = itemNames(shape);
  const known = new Set(names);
  const alternatives = `(${names.join('|')})`;
  return z
    .string()
    .max(2000)
    .meta({
      description: `Partial response: only these fields of each item (comma-separated; id is always included), from: ${names.join(', ')}`,
      pattern: `^${alternatives}(,${alternatives})*$`,
    })
    .transform((value, ctx) => {
      const requested = value.split(',');
      const unknown = requested.filter((name) => !known.has(name));
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `Unknown field ${quoted(unknown)}; choose from: ${names.join(', ')}` });
        return z.NEVER;
      }
      const chosen = new Set(requested);
      return names.filter((name) => name === 'id' || chosen.has(name));
    })
    .optional();
}

/** What the OpenAPI document says a list answers: the full page, or with `fields` a partial one. */
export function documentedPage(shape: ListShape): z.ZodType {
  const { page, item } = shape;
  const idOnly: Record<string, true> = 'id' in item.shape ? { id: true } : {};
  const partial = page
    .extend({ items: z.array(item.partial().required(idOnly)) })
    .meta({ description: 'With fields: each item has only the fields named (and id)' });
  return z.union([page, partial]);
}

const pageIds = new WeakMap<z.ZodObject, number>();
let nextPageId = 0;
// Bounded: a client choosing ever new field sets costs a compilation each, never memory.
const partialSerializers = new LRUCache<string, Serializer>({ max: 256 });

/** The serializer of a page whose items hold only `fields`, compiled once per distinct set. */
export function partialSerializer(shape: ListShape, fields: string[]): Serializer {
  let pageId = pageIds.get(shape.page);
  if (pageId === undefined) {
    pageId = nextPageId++;
    pageIds.set(shape.page, pageId);
  }
  const key = `${pageId}:${fields.join(',')}`;
  let serializer = partialSerializers.get(key);
  if (!serializer) {
    const mask: Record<string, true> = Object.fromEntries(fields.map((name) => [name, true]));
    serializer = compileSerializer(shape.page.extend({ items: z.array(shape.item.pick(mask)) }));
    partialSerializers.set(key, serializer);
  }
  return serializer;
}

/** The parsed `fields` of a request's query (an array after fieldsParam), if any. */
export function requestedFields(query: unknown): string[] | undefined {
  if (typeof query !== 'object' || query === null || !('fields' in query)) return undefined;
  const fields: unknown = query.fields;
  if (!Array.isArray(fields)) return undefined;
  const values: unknown[] = fields;
  return values.filter((value) => typeof value === 'string');
}

/** The serializer of a page answered with `fields` (partial) or without (the full page). */
export function pageSerializer(shape: ListShape, fields: string[] | undefined): Serializer {
  return fields ? partialSerializer(shape, fields) : serializerOf(shape.page);
}
