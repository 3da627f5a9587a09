import { type Kysely, sql } from 'kysely';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, HouseholdRole } from '../../platform/db/schema.ts';
import type { HouseholdListParams } from './schemas.ts';

// Households and memberships. Every read is scoped by the signed-in user's membership in SQL: a
// household you do not belong to is never selected.

export type HouseholdRow = {
  id: string;
  name: string;
  my_role: HouseholdRole;
  member_count: number;
  version: number;
  created_at: Date;
  updated_at: Date;
};

/** The signed-in user's households with their role; the caller filters further. */
function myHouseholds(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('households')
    .innerJoin('household_members', (join) =>
      join.onRef('household_members.household_id', '=', 'households.id').on('household_members.user_id', '=', userId),
    );
}

const memberCount = sql<number>`(select count(*) from household_members m where m.household_id = households.id)::int`;

function withColumns<T extends ReturnType<typeof myHouseholds>>(query: T) {
  return query.select([
    'households.id',
    'households.name',
    'household_members.role as my_role',
    memberCount.as('member_count'),
    'households.version',
    'households.created_at',
    'households.updated_at',
  ]);
}

const sortColumns: SortColumns<HouseholdListParams['sort']['field']> = {
  name: { by: sql`lower(households.name)` },
  created_at: { by: sql.ref('households.created_at') },
};

export async function listHouseholds(db: Kysely<DB>, userId: string, params: HouseholdListParams): Promise<Page<HouseholdRow>> {
  return paginate(myHouseholds(db, userId), withColumns, sql.ref('households.id'), sortColumns, params);
}

export async function findHousehold(db: Kysely<DB>, userId: string, householdId: string): Promise<HouseholdRow | undefined> {
  return withColumns(myHouseholds(db, userId).where('households.id', '=', householdId)).executeTakeFirst();
}

/**
 * The user's role in a household, or undefined when they are not a member. `lock: 'share'` holds
 * the membership for the rest of the transaction (a concurrent removal waits until a write that
 * relied on it commits); `lock: 'update'` serialises every membership change of the household.
 */
export async function findRole(
  db: Kysely<DB>,
  householdId: string,
  userId: string,
  lock?: 'share' | 'update',
): Promise<HouseholdRole | undefined> {
  const base = db
    .selectFrom('household_members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select('m.role')
    .where('m.household_id', '=', householdId)
    .where('m.user_id', '=', userId);
  const query = lock === 'share' ? base.forShare('m') : lock === 'update' ? base.forUpdate('h') : base;
  return (await query.executeTakeFirst())?.role;
}

export async function insertHousehold(db: Kysely<DB>, values: { id: string; name: string; server_key: string }): Promise<void> {
  await db.insertInto('households').values(values).execute();
}

export async function insertMember(db: Kysely<DB>, values: { household_id: string; user_id: string; role: HouseholdRole }): Promise<void> {
  await db.insertInto('household_members').values(values).execute();
}

export async function renameHousehold(db: Kysely<DB>, householdId: string, name: string, versions?: number[]): Promise<boolean> {
  let query = db.updateTable('households').set({ name }).where('id', '=', householdId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numUpdatedRows > 0n;
}

export async function findHouseholdVersion(db: Kysely<DB>, householdId: string): Promise<number | undefined> {
  return (await db.selectFrom('households').select('version').where('id', '=', householdId).executeTakeFirst())?.version;
}

export async function deleteHousehold(db: Kysely<DB>, householdId: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('households').where('id', '=', householdId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}

export async function listMemberIds(db: Kysely<DB>, householdId: string): Promise<string[]> {
  const rows = await db.selectFrom('household_members').select('user_id').where('household_id', '=', householdId).execute();
  return rows.map((row) => row.user_id);
}
