import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CalendarRow } from '../calendars/index.ts';

/**
 * Stores the token hash as the calendar's one feed, replacing any earlier one (whose URL stops
 * working). Writes only for a calendar of the user's; false when there is none.
 */
export async function saveFeed(db: Kysely<DB>, userId: string, calendarId: string, tokenHash: string): Promise<boolean> {
  const result = await db
    .insertInto('calendar_feeds')
    .columns(['calendar_id', 'token_hash'])
    .expression(
      db
        .selectFrom('calendars')
        .select(['id', sql<string>`${tokenHash}::text`.as('token_hash')])
        .where('id', '=', calendarId)
        .where('user_id', '=', userId),
    )
    .onConflict((conflict) => conflict.column('calendar_id').doUpdateSet({ token_hash: tokenHash, created_at: sql<Date>`now()` }))
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Revokes the calendar's feed; false when the user has no such calendar or it has no feed. */
export async function deleteFeed(db: Kysely<DB>, userId: string, calendarId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('calendar_feeds')
    .where('calendar_id', '=', calendarId)
    .where('calendar_id', 'in', db.selectFrom('calendars').select('id').where('user_id', '=', userId))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The calendar whose feed has this token hash (the unique index finds it). */
export async function findFeedCalendar(db: Kysely<DB>, tokenHash: string): Promise<CalendarRow | undefined> {
  return db
    .selectFrom('calendar_feeds as f')
    .innerJoin('calendars as c', 'c.id', 'f.calendar_id')
    .selectAll('c')
    .where('f.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
