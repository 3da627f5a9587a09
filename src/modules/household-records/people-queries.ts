import { type Kysely, type Selectable, sql } from 'kysely';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, HouseholdPeople } from '../../platform/db/schema.ts';
import type { HouseholdAccess } from '../households/index.ts';
import type { CreateHouseholdPerson, HouseholdPersonListParams, UpdateHouseholdPerson } from './people-schemas.ts';

export type HouseholdPersonRow = Omit<Selectable<HouseholdPeople>, 'household_id' | 'search_vector'>;

const COLUMNS = ['id', 'name', 'relationship', 'birthday', 'email', 'phone', 'notes', 'user_id', 'version', 'created_at', 'updated_at'] as const;

const sorts: SortColumns<HouseholdPersonListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

// Must match the expression of the trigram index household_people_text_trgm (0013).
const searchable = sql<string>`(name || ' ' || coalesce(relationship, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, ''))`;

const peopleOf = (db: Kysely<DB>, access: HouseholdAccess) => db.selectFrom('household_people').where('household_id', '=', access.householdId);

export async function listHouseholdPeople(db: Kysely<DB>, access: HouseholdAccess, params: HouseholdPersonListParams): Promise<Page<HouseholdPersonRow>> {
  let query = peopleOf(db, access);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  return paginate(query, (q) => q.select(COLUMNS), sql.ref('id'), sorts, params);
}

export async function findHouseholdPerson(db: Kysely<DB>, access: HouseholdAccess, id: string): Promise<HouseholdPersonRow | undefined> {
  return peopleOf(db, access).select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertHouseholdPerson(db: Kysely<DB>, access: HouseholdAccess, values: CreateHouseholdPerson): Promise<HouseholdPersonRow> {
  return db.insertInto('household_people').values({ ...values, household_id: access.householdId }).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function updateHouseholdPerson(db: Kysely<DB>, access: HouseholdAccess, id: string, changes: UpdateHouseholdPerson, versions?: number[]) {
  let query = db.updateTable('household_people').set(changes).where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(COLUMNS).executeTakeFirst();
}

export async function deleteHouseholdPerson(db: Kysely<DB>, access: HouseholdAccess, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('household_people').where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}

/** Whether a user is a member of the household (a person's `user_id`). */
export async function isMember(db: Kysely<DB>, householdId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('household_members').select('user_id').where('household_id', '=', householdId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}
