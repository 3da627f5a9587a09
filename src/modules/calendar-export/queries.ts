import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { EVENT_COLUMNS, qualified } from '../../platform/db/columns.ts';
import type { EventRow, OverrideRow } from '../events/index.ts';

/** One of a user's calendars: every query here joins calendars and checks both ids in SQL. */
export type CalendarScope = { userId: string; calendarId: string };

/** Every series in the calendar (a calendar holds its owner's events only), oldest first. */
export async function listCalendarSeries(db: Kysely<DB>, scope: CalendarScope): Promise<EventRow[]> {
  return db
    .selectFrom('events as e')
    .innerJoin('calendars as c', 'c.id', 'e.calendar_id')
    .select(qualified('e', EVENT_COLUMNS))
    .where('c.user_id', '=', scope.userId)
    .where('e.calendar_id', '=', scope.calendarId)
    .orderBy('e.start_at')
    .orderBy('e.id')
    .execute();
}

/** Every override (changed or cancelled occurrence) of the calendar's series, by series and occurrence. */
export async function listCalendarOverrides(db: Kysely<DB>, scope: CalendarScope): Promise<OverrideRow[]> {
  return db
    .selectFrom('event_overrides as o')
    .innerJoin('events as e', 'e.id', 'o.event_id')
    .innerJoin('calendars as c', 'c.id', 'e.calendar_id')
    .selectAll('o')
    .where('c.user_id', '=', scope.userId)
    .where('e.calendar_id', '=', scope.calendarId)
    .orderBy('o.event_id')
    .orderBy('o.occurrence_start')
    .execute();
}
