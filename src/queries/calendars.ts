import type { Kysely, Selectable } from 'kysely';
import type { Calendars, DB } from '../db/schema.ts';

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
