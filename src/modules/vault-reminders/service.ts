import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { DB } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/http/errors.ts';
import { today, type UserClock } from '../../platform/time/day.ts';
import { addDaysToDate } from '../../platform/time/zoned.ts';
import { listReminders } from './reminder-queries.ts';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, type ReminderListParams } from './schemas.ts';

/** The list's window: from today in the user's zone for 90 days, unless given; `to` on or after `from`, at most 366 days. */
export function reminderWindow(clock: UserClock, query: Pick<ReminderListParams, 'from' | 'to'>): { from: string; to: string } {
  const from = query.from ?? today(clock);
  const to = query.to ?? addDaysToDate(from, DEFAULT_WINDOW_DAYS - 1);
  const days = Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days + 1;
  if (days < 1) throw invalidField('to', 'Must be on or after from');
  if (days > MAX_WINDOW_DAYS) throw invalidField('to', `The window spans at most ${MAX_WINDOW_DAYS} days (from and to included)`);
  return { from, to };
}

/** GET /api/households/{hid}/reminders, for a household the caller may read. */
export async function listHouseholdReminders(db: Kysely<DB>, householdId: string, clock: UserClock, query: ReminderListParams) {
  const window = reminderWindow(clock, query);
  const rows = await listReminders(db, { householdId }, window, { category: query.category, includeDismissed: query.include_dismissed });
  return { ...window, items: rows.map(({ household_id: _household, household_name: _name, ...item }) => item) };
}
