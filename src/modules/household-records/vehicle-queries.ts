import { type Kysely, type Selectable, sql } from 'kysely';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, Vehicles } from '../../platform/db/schema.ts';
import type { HouseholdAccess } from '../households/index.ts';
import type { CreateVehicle, UpdateVehicle, VehicleListParams } from './vehicle-schemas.ts';

export type VehicleRow = Omit<Selectable<Vehicles>, 'household_id' | 'search_vector'>;

const COLUMNS = ['id', 'name', 'make', 'model', 'year', 'vin', 'plate', 'color', 'notes', 'version', 'created_at', 'updated_at'] as const;

const sorts: SortColumns<VehicleListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

// Must match the expression of the trigram index vehicles_text_trgm (0013).
const searchable = sql<string>`(name || ' ' || coalesce(make, '') || ' ' || coalesce(model, '') || ' ' || coalesce(vin, '') || ' ' || coalesce(plate, '') || ' ' || coalesce(notes, ''))`;

const vehiclesOf = (db: Kysely<DB>, access: HouseholdAccess) => db.selectFrom('vehicles').where('household_id', '=', access.householdId);

export async function listVehicles(db: Kysely<DB>, access: HouseholdAccess, params: VehicleListParams): Promise<Page<VehicleRow>> {
  let query = vehiclesOf(db, access);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  return paginate(query, (q) => q.select(COLUMNS), sql.ref('id'), sorts, params);
}

export async function findVehicle(db: Kysely<DB>, access: HouseholdAccess, id: string): Promise<VehicleRow | undefined> {
  return vehiclesOf(db, access).select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertVehicle(db: Kysely<DB>, access: HouseholdAccess, values: CreateVehicle): Promise<VehicleRow> {
  return db.insertInto('vehicles').values({ ...values, household_id: access.householdId }).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function updateVehicle(db: Kysely<DB>, access: HouseholdAccess, id: string, changes: UpdateVehicle, versions?: number[]) {
  let query = db.updateTable('vehicles').set(changes).where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(COLUMNS).executeTakeFirst();
}

export async function deleteVehicle(db: Kysely<DB>, access: HouseholdAccess, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('vehicles').where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}
