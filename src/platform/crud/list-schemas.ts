import { z } from 'zod';
import { queryInteger } from '../http/schemas.ts';

/**
 * `sort=field` or `sort=-field` (descending), limited to the entity's sortable fields.
 * Becomes `{ field, descending }`.
 */
export function sortParam<const F extends string>(fields: readonly F[], fallback: F) {
  const isField = (value: string): value is F => fields.some((field) => field === value);
  const choices = fields.flatMap((field) => [field, `-${field}`]);
  return z
    .enum(choices, { message: `Sort by one of: ${choices.join(', ')}` })
    .default(fallback)
    .transform((value, ctx) => {
      const descending = value.startsWith('-');
      const field = descending ? value.slice(1) : value;
      if (!isField(field)) {
        ctx.addIssue({ code: 'custom', message: `Sort by one of: ${choices.join(', ')}` });
        return z.NEVER;
      }
      return { field, descending };
    })
    .meta({ description: `A field to sort by, - for descending (default ${fallback})` });
}

/** `limit` and `offset` of every paged list. */
export const paging = {
  limit: queryInteger({ min: 1, max: 200, default: 50 }).meta({ description: '1..200, default 50' }),
  offset: queryInteger({ min: 0, max: 1_000_000_000, default: 0 }).meta({ description: '>= 0, default 0' }),
};

/** A list's query string: paging, sort and the entity's filters; unknown parameters are a 400. */
export function listQuery<const F extends string, S extends z.ZodRawShape>(fields: readonly F[], fallback: F, filters: S) {
  return z.strictObject({ ...paging, sort: sortParam(fields, fallback), ...filters });
}

/** The list envelope: `{items, total, limit, offset}`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
}
