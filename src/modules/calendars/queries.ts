import { type Kysely, type Selectable, sql } from 'kysely';
import type { Calendars, DB } from '../../platform/db/schema.ts';
import type { CalendarListParams, UpdateCalendar } from './schemas.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

export type CalendarRow = Selectable<Calendars>;

export async function insertCalendar(
  db: Kysely<DB>,
  userId: string,
  values: { name: string; color?: string | null; is_default?: boolean },
): Promise<CalendarRow> {
  return db
    .insertInto('calendars')
    .values({ ...values, user_id: userId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findCalendar(db: Kysely<DB>, userId: string, id: string): Promise<CalendarRow | undefined> {
  return db.selectFrom('calendars').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function findDefaultCalendarId(db: Kysely<DB>, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('calendars')
    .select('id')
    .where('user_id', '=', userId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Makes `calendarId` the user's only default calendar. Run in a transaction: the old default is
 * cleared first so the partial unique index never sees two.
 */
export async function setDefaultCalendar(db: Kysely<DB>, userId: string, calendarId: string): Promise<void> {
  await db
    .updateTable('calendars')
    .set({ is_default: false })
    .where('user_id', '=', userId)
    .where('is_default', '=', true)
    .where('id', '<>', calendarId)
    .execute();
  await db
    .updateTable('calendars')
    .set({ is_default: true })
    .where('user_id', '=', userId)
    .where('id', '=', calendarId)
    .where('is_default', '=', false)
    .execute();
}

const sortColumns: SortColumns<CalendarListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

export async function listCalendars(db: Kysely<DB>, userId: string, params: CalendarListParams): Promise<Page<CalendarRow>> {
  return paginate(db.selectFrom('calendars').where('user_id', '=', userId), (q) => q.selectAll(), sql.ref('id'), sortColumns, params);
}

export async function updateCalendar(
  db: Kysely<DB>,
  userId: string,
  id: string,
  changes: UpdateCalendar,
  versions?: number[],
): Promise<CalendarRow | undefined> {
  let query = db.updateTable('calendars').set(changes).where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returningAll().executeTakeFirst();
}

/** Deletes a calendar that is not the default one; its events go with it (ON DELETE CASCADE). */
export async function deleteCalendar(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('calendars').where('id', '=', id).where('user_id', '=', userId).where('is_default', '=', false);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}
