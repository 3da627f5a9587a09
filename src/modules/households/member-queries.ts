import { type Kysely, sql } from 'kysely';
import type { DB, HouseholdRole } from '../../platform/db/schema.ts';

export type MemberRow = {
  user_id: string;
  email: string;
  display_name: string;
  role: HouseholdRole;
  joined_at: Date;
  has_key: boolean;
  public_key: string | null;
};

function membersOf(db: Kysely<DB>, householdId: string) {
  return db
    .selectFrom('household_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('user_keys as k', 'k.user_id', 'm.user_id')
    .leftJoin('household_key_envelopes as e', (join) => join.onRef('e.household_id', '=', 'm.household_id').onRef('e.user_id', '=', 'm.user_id'))
    .select([
      'm.user_id',
      'u.email',
      'u.display_name',
      'm.role',
      'm.joined_at',
      sql<boolean>`e.user_id is not null`.as('has_key'),
      'k.public_key',
    ])
    .where('m.household_id', '=', householdId);
}

/** A household's members, owner first, then by role and name; with their zero-knowledge key state. */
export async function listMembers(db: Kysely<DB>, householdId: string): Promise<MemberRow[]> {
  return membersOf(db, householdId)
    .orderBy(sql`array_position(array['owner','admin','member','viewer']::household_role[], m.role)`)
    .orderBy(sql`lower(u.display_name)`)
    .orderBy('m.user_id')
    .execute();
}

export async function findMember(db: Kysely<DB>, householdId: string, userId: string): Promise<MemberRow | undefined> {
  return membersOf(db, householdId).where('m.user_id', '=', userId).executeTakeFirst();
}

export async function updateMemberRole(db: Kysely<DB>, householdId: string, userId: string, role: HouseholdRole): Promise<void> {
  await db.updateTable('household_members').set({ role }).where('household_id', '=', householdId).where('user_id', '=', userId).execute();
}

export async function deleteMember(db: Kysely<DB>, householdId: string, userId: string): Promise<void> {
  await db.deleteFrom('household_members').where('household_id', '=', householdId).where('user_id', '=', userId).execute();
}

/**
 * Users whose active household is gone (the database cleared it with the membership) move to the
 * household they joined first; users with none left keep null.
 */
export async function reassignActiveHouseholds(db: Kysely<DB>, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .updateTable('user_settings as s')
    .set({
      active_household_id: sql<string | null>`(select m.household_id from household_members m where m.user_id = s.user_id order by m.joined_at, m.household_id limit 1)`,
    })
    .where('s.user_id', 'in', userIds)
    .where('s.active_household_id', 'is', null)
    .execute();
}

/** A user who had no household gets this one as their active household. */
export async function activateIfNone(db: Kysely<DB>, userId: string, householdId: string): Promise<void> {
  await db
    .updateTable('user_settings')
    .set({ active_household_id: householdId })
    .where('user_id', '=', userId)
    .where('active_household_id', 'is', null)
    .execute();
}
