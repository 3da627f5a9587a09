import { type Kysely, sql } from 'kysely';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { ItemOwner } from '../vault/index.ts';
import type { CreateCustomReminder, CustomReminderListParams, UpdateCustomReminder } from './custom-schemas.ts';

// Custom reminders of one item, scoped by household and item in SQL.

export type CustomReminderRow = {
  id: string;
  item_id: string;
  remind_on: string;
  note: string | null;
  dismissed: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = [
  'id',
  'item_id',
  'remind_on',
  'note',
  sql<boolean>`dismissed_for is not distinct from remind_on`.as('dismissed'),
  'version',
  'created_at',
  'updated_at',
] as const;

const sorts: SortColumns<CustomReminderListParams['sort']['field']> = {
  remind_on: { by: sql.ref('remind_on') },
  created_at: { by: sql.ref('created_at') },
};

const remindersOf = (db: Kysely<DB>, owner: ItemOwner) =>
  db.selectFrom('item_reminders').where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);

export async function listCustomReminders(db: Kysely<DB>, owner: ItemOwner, params: CustomReminderListParams): Promise<Page<CustomReminderRow>> {
  return paginate(remindersOf(db, owner), (query) => query.select(COLUMNS), sql.ref('id'), sorts, params);
}

export async function findCustomReminder(db: Kysely<DB>, owner: ItemOwner, id: string): Promise<CustomReminderRow | undefined> {
  return remindersOf(db, owner).select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertCustomReminder(db: Kysely<DB>, owner: ItemOwner, body: CreateCustomReminder): Promise<CustomReminderRow> {
  return db
    .insertInto('item_reminders')
    .values({ household_id: owner.householdId, item_id: owner.itemId, remind_on: body.remind_on, note: body.note ?? null, created_by: owner.userId })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateCustomReminder(db: Kysely<DB>, owner: ItemOwner, id: string, changes: UpdateCustomReminder, versions?: number[]) {
  let query = db
    .updateTable('item_reminders')
    .set(changes)
    .where('id', '=', id)
    .where('household_id', '=', owner.householdId)
    .where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(COLUMNS).executeTakeFirst();
}

export async function deleteCustomReminder(db: Kysely<DB>, owner: ItemOwner, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('item_reminders').where('id', '=', id).where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}
