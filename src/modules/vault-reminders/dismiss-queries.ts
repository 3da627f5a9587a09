import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

// What a dismissal reads and writes. Each write reports whether it changed anything, so a
// repeated dismissal is a no-op and leaves no second audit entry.

export type DatedItem = { name: string; category: string; subcategory: string; date: string | null };

/** The household's item with the date its field holds now (null: no such date), or undefined. */
export async function findItemDate(db: Kysely<DB>, householdId: string, itemId: string, field: string): Promise<DatedItem | undefined> {
  return db
    .selectFrom('items as i')
    .leftJoin('item_field_values as v', (join) => join.onRef('v.item_id', '=', 'i.id').on('v.field_key', '=', field))
    .select(['i.name', 'i.category', 'i.subcategory', 'v.value_date as date'])
    .where('i.id', '=', itemId)
    .where('i.household_id', '=', householdId)
    .executeTakeFirst();
}

export type ComputedDismissal = { householdId: string; itemId: string; field: string; date: string; remindOn: string; userId: string };

export async function insertDismissal(db: Kysely<DB>, dismissal: ComputedDismissal): Promise<boolean> {
  const result = await db
    .insertInto('item_reminder_dismissals')
    .values({
      household_id: dismissal.householdId,
      item_id: dismissal.itemId,
      field_key: dismissal.field,
      date: dismissal.date,
      remind_on: dismissal.remindOn,
      dismissed_by: dismissal.userId,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('item_id')
    .executeTakeFirst();
  return result !== undefined;
}

export type CustomDismissal = { item_id: string; remind_on: string; changed: boolean };

/** Dismisses a custom reminder of the household for its current remind_on; undefined when there is none. */
export async function dismissCustomReminder(db: Kysely<DB>, householdId: string, id: string, userId: string): Promise<CustomDismissal | undefined> {
  const row = await db
    .selectFrom('item_reminders')
    .select(['item_id', 'remind_on', sql<boolean>`dismissed_for is distinct from remind_on`.as('changed')])
    .where('id', '=', id)
    .where('household_id', '=', householdId)
    .forUpdate()
    .executeTakeFirst();
  if (!row?.changed) return row;
  // Its version moves on (the trigger): the reminder reads `dismissed: true` from now on.
  await db
    .updateTable('item_reminders')
    .set({ dismissed_for: sql`remind_on`, dismissed_by: userId, dismissed_at: sql`now()` })
    .where('id', '=', id)
    .execute();
  return row;
}
