import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, Locations } from '../../platform/db/schema.ts';
import type { CreateLocation, LocationListParams, UpdateLocation } from './schemas.ts';
import { LOCATION_COLUMNS } from '../../platform/db/columns.ts';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

export type LocationRow = Omit<Selectable<Locations>, 'search_vector'>;

const sortColumns: SortColumns<LocationListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

// Must match the expression of the trigram index locations_text_trgm.
const searchable = sql<string>`(name || ' ' || coalesce(address, '') || ' ' || coalesce(category, '') || ' ' || coalesce(notes, ''))`;

export async function listLocations(db: Kysely<DB>, userId: string, params: LocationListParams): Promise<Page<LocationRow>> {
  let query = db.selectFrom('locations').where('user_id', '=', userId);
  if (params.category !== undefined) query = query.where('category', '=', params.category);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  return paginate(query, (q) => q.select(LOCATION_COLUMNS), sql.ref('id'), sortColumns, params);
}

export async function findLocation(db: Kysely<DB>, userId: string, id: string): Promise<LocationRow | undefined> {
  return db.selectFrom('locations').select(LOCATION_COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertLocation(db: Kysely<DB>, userId: string, values: CreateLocation): Promise<LocationRow> {
  return db.insertInto('locations').values({ ...values, user_id: userId }).returning(LOCATION_COLUMNS).executeTakeFirstOrThrow();
}

export async function updateLocation(
  db: Kysely<DB>,
  userId: string,
  id: string,
  changes: UpdateLocation,
  versions?: number[],
): Promise<LocationRow | undefined> {
  let query = db.updateTable('locations').set(changes).where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(LOCATION_COLUMNS).executeTakeFirst();
}

export async function deleteLocation(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('locations').where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listLocationCategories(db: Kysely<DB>, userId: string) {
  const rows = await db
    .selectFrom('locations')
    .select((eb) => ['category', eb.fn.countAll<number>().as('count')])
    .where('user_id', '=', userId)
    .where('category', 'is not', null)
    .groupBy('category')
    .orderBy('category')
    .execute();
  return rows.flatMap((row) => (row.category === null ? [] : [{ category: row.category, count: row.count }]));
}
