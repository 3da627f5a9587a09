import type { Insertable, Kysely } from 'kysely';
import type { DB, ItemFieldValues, ItemReminders, Items } from '../src/platform/db/schema.ts';
import { seededRandom } from './random.ts';

const DAY = 86_400_000;

/** Dated subcategories with the date fields that carry reminders (src/modules/vault/categories.ts). */
const KINDS = [
  { category: 'insurance', subcategory: 'health', dates: ['renewal_date'], sealed: 'policy_number' },
  { category: 'business', subcategory: 'license', dates: ['due_date', 'renewal_date'], sealed: 'number' },
  { category: 'finance', subcategory: 'credit_card', dates: ['expiry_date', 'due_date'], sealed: 'account_number' },
  { category: 'property', subcategory: 'warranty', dates: ['warranty_until'], sealed: undefined },
  { category: 'vehicle', subcategory: 'inspection', dates: ['expiry_date'], sealed: undefined },
  { category: 'other', subcategory: 'document', dates: [], sealed: undefined },
] as const;

/**
 * A household of `items` vault items for the bench user, made the active one (the dashboard and
 * upcoming show its vault): dates spread from two years back to three ahead, a sensitive value
 * where the kind has one (an opaque `enc:` string, as a zero-knowledge client stores it), a
 * custom reminder on every tenth item and a dismissal on every twentieth. Its own PRNG, so the
 * organizer data stays what it was. `items` 0 gives the household empty.
 */
export async function seedVault(db: Kysely<DB>, userId: string, items: number): Promise<string> {
  const random = seededRandom(1717);
  // A household and its owner together (the database checks, at commit, that it has one).
  const household = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('households')
      .values({ name: 'Bench home', server_key: 'bench: no server-side key is used by the views measured' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('household_members').values({ household_id: row.id, user_id: userId, role: 'owner' }).execute();
    return row;
  });
  await db.updateTable('user_settings').set({ active_household_id: household.id }).where('user_id', '=', userId).execute();
  const today = Date.now();
  const dateAt = (days: number) => new Date(today + days * DAY).toISOString().slice(0, 10);
  for (let start = 0; start < items; start += 500) {
    const rows: Insertable<Items>[] = [];
    const values: Insertable<ItemFieldValues>[] = [];
    const custom: Insertable<ItemReminders>[] = [];
    const dismissals: Array<{ item_id: string; field_key: string; date: string; remind_on: string }> = [];
    for (let i = start; i < Math.min(items, start + 500); i++) {
      const kind = random.pick(KINDS);
      const id = crypto.randomUUID();
      rows.push({ id, household_id: household.id, category: kind.category, subcategory: kind.subcategory, name: `${kind.subcategory} ${i}`, created_by: userId });
      if (kind.sealed) values.push({ item_id: id, household_id: household.id, field_key: kind.sealed, value_sealed: `enc:bench${i}` });
      for (const field of kind.dates) {
        const date = dateAt(random.int(-730, 1095));
        values.push({ item_id: id, household_id: household.id, field_key: field, value_date: date });
        if (i % 20 === 0) dismissals.push({ item_id: id, field_key: field, date, remind_on: dateAt(0) });
      }
      if (i % 10 === 0) custom.push({ household_id: household.id, item_id: id, remind_on: dateAt(random.int(-30, 120)), note: `note ${i}`, created_by: userId });
    }
    await db.insertInto('items').values(rows).execute();
    if (values.length > 0) await db.insertInto('item_field_values').values(values).execute();
    if (custom.length > 0) await db.insertInto('item_reminders').values(custom).execute();
    const stored = dismissals.map((dismissal) => ({ ...dismissal, household_id: household.id, dismissed_by: userId }));
    if (stored.length > 0) await db.insertInto('item_reminder_dismissals').values(stored).execute();
  }
  return household.id;
}
