import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { listCalendarOverrides, listCalendarSeries } from './queries.ts';
import type { CalendarRow } from '../calendars/index.ts';
import type { OverrideRow } from '../events/index.ts';
import { calendarIcs } from './calendar-ics.ts';

/**
 * The calendar as RFC 5545 text. Series and overrides are read in one repeatable-read snapshot, so
 * an occurrence edited meanwhile never shows half-applied.
 */
export async function exportCalendar(db: Kysely<DB>, calendar: CalendarRow): Promise<string> {
  const scope = { userId: calendar.user_id, calendarId: calendar.id };
  const { events, overrides } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({ events: await listCalendarSeries(trx, scope), overrides: await listCalendarOverrides(trx, scope) }));
  const bySeries = new Map<string, OverrideRow[]>();
  for (const row of overrides) {
    const list = bySeries.get(row.event_id);
    if (list) list.push(row);
    else bySeries.set(row.event_id, [row]);
  }
  return calendarIcs(calendar, events.map((event) => ({ event, overrides: bySeries.get(event.id) ?? [] })));
}
