import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { householdsOf, type ReminderScope } from './reminder-queries.ts';
import { REMINDER_RULES } from './rules.ts';

// The vault's parts of the dashboards: items per category, and the items that expire soon.

/** At most this many items are listed as expiring (the soonest). */
export const EXPIRING_LIMIT = 100;

export type ExpiringItem = { item_id: string; item_name: string; category: string; subcategory: string; field: string; date: string };

/**
 * Items with a reminder date from `from` until before `to`, each once, at its earliest such date,
 * by date, then name; at most EXPIRING_LIMIT. As one JSON array, so it can be part of a statement.
 */
export function expiringItems(scope: ReminderScope, window: { from: string; to: string }): RawBuilder<ExpiringItem[]> {
  return sql<ExpiringItem[]>`(select coalesce(json_agg(e order by e.date, lower(e.item_name), e.item_id), '[]'::json) from (
      select * from (
        select distinct on (v.item_id) v.item_id, i.name as item_name, i.category, i.subcategory, v.field_key as field, v.value_date as date
        from item_field_values v join items i on i.id = v.item_id and i.household_id = v.household_id
        where ${householdsOf(scope, sql.ref('v.household_id'))} and v.value_date >= ${window.from}::date and v.value_date < ${window.to}::date
          and (i.category || '/' || i.subcategory || '/' || v.field_key) = any(${REMINDER_RULES.paths}::text[])
        order by v.item_id, v.value_date, v.field_key
      ) soonest order by date, lower(item_name), item_id limit ${EXPIRING_LIMIT}
    ) e)`;
}

export type CategoryCount = { category: string; count: number };

/** How many items the household holds per category (categories without items left out), by category. */
export async function countItemsByCategory(db: Kysely<DB>, householdId: string): Promise<CategoryCount[]> {
  return db
    .selectFrom('items')
    .select(['category', sql<number>`count(*)::int`.as('count')])
    .where('household_id', '=', householdId)
    .groupBy('category')
    .orderBy('category')
    .execute();
}
