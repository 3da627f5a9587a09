import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

// Parent -> child links between items of one household.

/**
 * Serialises every link write of one household until the transaction ends, so two concurrent
 * links (A -> B and B -> A) cannot each pass the cycle check and together make a cycle. Other
 * households are not held up (a hash collision only makes two of them wait for each other).
 */
export async function lockHouseholdLinks(db: Kysely<DB>, householdId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`umbra:item_links:${householdId}`}, 0))`.execute(db);
}

export async function itemExists(db: Kysely<DB>, householdId: string, id: string): Promise<boolean> {
  const row = await db.selectFrom('items').select('id').where('id', '=', id).where('household_id', '=', householdId).executeTakeFirst();
  return row !== undefined;
}

export async function linkExists(db: Kysely<DB>, householdId: string, parentId: string, childId: string): Promise<boolean> {
  const row = await db
    .selectFrom('item_links')
    .select('parent_id')
    .where('household_id', '=', householdId)
    .where('parent_id', '=', parentId)
    .where('child_id', '=', childId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether `from` reaches `to` by following links parent -> child (UNION stops on any loop). */
export async function reaches(db: Kysely<DB>, householdId: string, from: string, to: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    with recursive below(id) as (
      select child_id from item_links where household_id = ${householdId} and parent_id = ${from}
      union
      select l.child_id from item_links l join below b on l.parent_id = b.id where l.household_id = ${householdId}
    )
    select exists (select 1 from below where id = ${to}) as found`.execute(db);
  return result.rows[0]?.found ?? false;
}

export async function insertLink(db: Kysely<DB>, householdId: string, parentId: string, childId: string): Promise<void> {
  await db.insertInto('item_links').values({ household_id: householdId, parent_id: parentId, child_id: childId }).execute();
}

export async function deleteLink(db: Kysely<DB>, householdId: string, parentId: string, childId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('item_links')
    .where('household_id', '=', householdId)
    .where('parent_id', '=', parentId)
    .where('child_id', '=', childId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
