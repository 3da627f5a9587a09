import { type Expression, type Insertable, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, ItemFieldValues } from '../../platform/db/schema.ts';
import { reminderFieldPaths } from './categories.ts';
import { STORED_VALUE_JSON, type StoredValue } from './field-values.ts';
import type { ItemListParams } from './item-schemas.ts';

// Items and their values. Every query is scoped by the household in SQL; a page is one
// statement whose values are aggregated per item (json_agg), plus the count, as every list.

export type ItemRow = {
  id: string;
  household_id: string;
  category: string;
  subcategory: string;
  name: string;
  notes: string | null;
  created_by_id: string | null;
  created_by_name: string | null;
  file_count: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  values: StoredValue[];
};

type ItemQuery = SelectQueryBuilder<DB, 'items' | 'users', object>;

function itemsOf(db: Kysely<DB>, householdId: string): ItemQuery {
  return db.selectFrom('items').leftJoin('users', 'users.id', 'items.created_by').where('items.household_id', '=', householdId);
}

/** The item's columns and its values; sealed (sensitive) values only when `withSealed`. */
function withColumns(withSealed: boolean) {
  const sealedFilter = withSealed ? sql`` : sql`and v.value_sealed is null`;
  return (query: ItemQuery) =>
    query.select([
        'items.id',
        'items.household_id',
        'items.category',
        'items.subcategory',
        'items.name',
        'items.notes',
        'users.id as created_by_id',
        'users.display_name as created_by_name',
        // The files module's rows, counted in the page's own statement (no query per item).
        sql<number>`(select count(*)::int from item_files f where f.item_id = items.id and f.household_id = items.household_id)`.as('file_count'),
        'items.version',
        'items.created_at',
        'items.updated_at',
        sql<StoredValue[]>`(select coalesce(json_agg(${STORED_VALUE_JSON} order by v.field_key), '[]'::json)
          from item_field_values v where v.item_id = items.id ${sealedFilter})`.as('values'),
      ]);
}

// Which date fields carry reminders comes from the definitions at query time, as
// `category/subcategory/field` paths: changing a definition needs no migration.
const isReminderValue = (paths: string[]) => sql<SqlBool>`(items.category || '/' || items.subcategory || '/' || v.field_key) = any(${paths}::text[])`;

/** Items with any reminder date on or before `date`, found from the household's date index. */
function expiringBefore(householdId: string, date: string): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from item_field_values v where v.item_id = items.id and v.household_id = ${householdId}
    and v.value_date <= ${date}::date and ${isReminderValue(reminderFieldPaths())})`;
}

/** The earliest reminder date on or after today (undated: null, sorted last). */
function nextDate(today: string) {
  return sql`(select min(v.value_date) from item_field_values v where v.item_id = items.id and v.value_date >= ${today}::date
    and ${isReminderValue(reminderFieldPaths())})`;
}

const REFERENCE_COLUMNS = { person_id: 'value_person', vehicle_id: 'value_vehicle', provider_id: 'value_provider' } as const;
const REFERENCE_FILTERS = ['person_id', 'vehicle_id', 'provider_id'] as const;

function sortColumns(today: string): SortColumns<ItemListParams['sort']['field']> {
  return {
    name: { by: sql`lower(items.name)` },
    created_at: { by: sql.ref('items.created_at') },
    updated_at: { by: sql.ref('items.updated_at') },
    next_date: { by: nextDate(today), nullsLast: true },
  };
}

export type ItemFilter = Omit<ItemListParams, 'limit' | 'offset' | 'sort'>;

/** The household's items matching the filter; `ids` narrows to given items (links). */
export function filteredItems(db: Kysely<DB>, householdId: string, filter: Partial<ItemFilter>): ItemQuery {
  let query = itemsOf(db, householdId);
  if (filter.category !== undefined) query = query.where('items.category', '=', filter.category);
  if (filter.subcategory !== undefined) query = query.where('items.subcategory', '=', filter.subcategory);
  if (filter.q) query = query.where(sql<string>`(items.name || ' ' || coalesce(items.notes, ''))`, 'ilike', containsPattern(filter.q));
  for (const param of REFERENCE_FILTERS) {
    const id = filter[param];
    if (id === undefined) continue;
    const column = sql.ref(REFERENCE_COLUMNS[param]);
    query = query.where(sql<SqlBool>`items.id in (select v.item_id from item_field_values v where v.${column} = ${id} and v.household_id = ${householdId})`);
  }
  if (filter.expiring_before !== undefined) query = query.where(expiringBefore(householdId, filter.expiring_before));
  return query;
}

export async function listItems(db: Kysely<DB>, householdId: string, params: ItemListParams, today: string): Promise<Page<ItemRow>> {
  const { limit, offset, sort, ...filter } = params;
  return paginate(filteredItems(db, householdId, filter), withColumns(false), sql.ref('items.id'), sortColumns(today), { limit, offset, sort });
}

/** Items in list form (no sensitive values), by name: a link's parents or children. */
export async function listItemsWhere(db: Kysely<DB>, householdId: string, where: Expression<SqlBool>): Promise<ItemRow[]> {
  return withColumns(false)(itemsOf(db, householdId).where(where))
    .orderBy(sql`lower(items.name)`)
    .orderBy('items.id')
    .execute();
}

export async function findItem(db: Kysely<DB>, householdId: string, id: string, lock = false): Promise<ItemRow | undefined> {
  const query = withColumns(true)(itemsOf(db, householdId).where('items.id', '=', id));
  return (lock ? query.forUpdate('items') : query).executeTakeFirst();
}

export type ItemColumns = { category: string; subcategory: string; name: string; notes: string | null };

export async function insertItem(db: Kysely<DB>, householdId: string, createdBy: string, values: ItemColumns & { id: string }): Promise<void> {
  await db.insertInto('items').values({ ...values, household_id: householdId, created_by: createdBy }).execute();
}

/** Sets the item's columns (bumping its version even when only its values change). */
export async function updateItem(db: Kysely<DB>, householdId: string, id: string, columns: ItemColumns): Promise<void> {
  await db.updateTable('items').set(columns).where('id', '=', id).where('household_id', '=', householdId).execute();
}

export async function replaceValues(db: Kysely<DB>, itemId: string, rows: Insertable<ItemFieldValues>[]): Promise<void> {
  await db.deleteFrom('item_field_values').where('item_id', '=', itemId).execute();
  if (rows.length > 0) await db.insertInto('item_field_values').values(rows).execute();
}

export async function deleteItem(db: Kysely<DB>, householdId: string, id: string): Promise<void> {
  await db.deleteFrom('items').where('id', '=', id).where('household_id', '=', householdId).execute();
}

/** How many of the household's items name the record in a reference field. */
export async function countItemsReferring(db: Kysely<DB>, householdId: string, kind: keyof typeof REFERENCE_COLUMNS, id: string): Promise<number> {
  const row = await db
    .selectFrom('item_field_values as v')
    .select(sql<number>`count(distinct v.item_id)::int`.as('count'))
    .where(sql.ref(`v.${REFERENCE_COLUMNS[kind]}`), '=', id)
    .where('v.household_id', '=', householdId)
    .executeTakeFirstOrThrow();
  return row.count;
}
