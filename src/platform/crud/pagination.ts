import { type Expression, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../db/schema.ts';

export type Sort<F extends string = string> = { field: F; descending: boolean };

export type PageRequest<F extends string = string> = { limit: number; offset: number; sort: Sort<F> };

export type Page<T> = { items: T[]; total: number; limit: number; offset: number };

/**
 * How each sortable field orders rows; `nullsLast` keeps empty values at the end both ways;
 * `thenBy` is a second key in the same direction before the id (tasks: position, then created_at).
 */
export type SortColumns<F extends string> = Record<F, { by: Expression<unknown>; nullsLast?: boolean; thenBy?: Expression<unknown> }>;

/**
 * One page of a filtered query plus the total: the page in the requested order with the row id
 * as tie-break (a stable order across pages), and the count of the same filter.
 */
export async function paginate<TB extends keyof DB, O, F extends string>(
  filtered: SelectQueryBuilder<DB, TB, object>,
  select: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  idColumn: Expression<unknown>,
  columns: SortColumns<F>,
  page: PageRequest<F>,
): Promise<Page<O>> {
  const { by, nullsLast, thenBy } = columns[page.sort.field];
  const direction = sql.raw(page.sort.descending ? 'desc' : 'asc');
  const nulls = sql.raw(nullsLast ? ' nulls last' : '');
  let ordered = select(filtered).orderBy(sql`${by} ${direction}${nulls}`);
  if (thenBy) ordered = ordered.orderBy(sql`${thenBy} ${direction}`);
  const [items, counted] = await Promise.all([
    ordered
      .orderBy(sql`${idColumn} ${direction}`)
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: counted.total, limit: page.limit, offset: page.offset };
}
