import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { listOccurrences, VIEW_EVENT_LIMIT } from '../events/index.ts';
import { addDaysToDate, startOfLocalDay } from '../../platform/time/zoned.ts';
import { listBirthdaysBetween } from '../people/index.ts';
import { listActiveRemindersBetween } from '../reminders/index.ts';
import type { UserClock } from '../settings/index.ts';
import { listOpenTasksDue } from '../projects/index.ts';
import { listOpenTodosDue } from '../todos/index.ts';
import { listVaultReminders } from '../vault-reminders/index.ts';
import type { Upcoming, UpcomingItem } from './schemas.ts';
import { daysFromToday } from '../../platform/time/day.ts';

const TYPE_ORDER: Record<UpcomingItem['type'], number> = { event: 0, todo: 1, reminder: 2, task: 3, birthday: 4, vault_reminder: 5 };

/** The field of a vault reminder (one item's fields may remind on one day; custom ones last). */
const fieldOf = (item: UpcomingItem) => (item.type === 'vault_reminder' ? (item.field ?? '~') : '');

/** Time order; equal times by type, then id, then field (vault reminders) or original start (a series' occurrences). */
function compareItems(a: UpcomingItem, b: UpcomingItem): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  if (a.type !== b.type) return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  if (fieldOf(a) !== fieldOf(b)) return fieldOf(a) < fieldOf(b) ? -1 : 1;
  const start = (item: UpcomingItem) => (item.type === 'event' ? (item.occurrence_start?.getTime() ?? 0) : 0);
  return start(a) - start(b);
}

/**
 * The merged timeline of the next `days` whole days, today included, in the user's zone. Every
 * source reads its own index in a query of its own; they run concurrently.
 */
export async function buildUpcoming(db: Kysely<DB>, userId: string, clock: UserClock, days: number): Promise<Upcoming> {
  const span = daysFromToday(clock, days);
  const midnight = (date: string) => startOfLocalDay(date, clock.timezone);
  const [events, todos, reminders, tasks, birthdays, vault] = await Promise.all([
    listOccurrences(db, userId, span.window, {}, { limit: VIEW_EVENT_LIMIT }),
    listOpenTodosDue(db, userId, span.dates),
    listActiveRemindersBetween(db, userId, span.window),
    listOpenTasksDue(db, userId, span.dates),
    listBirthdaysBetween(db, userId, span.dates),
    // The active household's reminders (none without one); span.dates.to is exclusive.
    listVaultReminders(db, { userId, households: 'active' }, { from: span.dates.from, to: addDaysToDate(span.dates.to, -1) }),
  ]);
  const items: UpcomingItem[] = [
    ...events.items.map((o): UpcomingItem => ({ type: 'event', id: o.id, title: o.title, at: o.start_at, all_day: o.all_day, occurrence_start: o.occurrence_start })),
    ...todos.map((t): UpcomingItem => ({ type: 'todo', id: t.id, title: t.title, at: midnight(t.due_date), all_day: true })),
    ...reminders.map((r): UpcomingItem => ({ type: 'reminder', id: r.id, title: r.title, at: r.at, all_day: false })),
    ...tasks.map((t): UpcomingItem => ({ type: 'task', id: t.id, title: t.title, at: midnight(t.due_date), all_day: true, project_id: t.project_id })),
    ...birthdays.map((b): UpcomingItem => ({ type: 'birthday', id: b.person_id, title: b.name, at: midnight(b.date), all_day: true, person_id: b.person_id })),
    ...vault.map(
      (r): UpcomingItem => ({ type: 'vault_reminder', id: r.item_id, title: r.item_name, at: midnight(r.remind_on), all_day: true, field: r.field, household_id: r.household_id }),
    ),
  ];
  return { from: span.window.from, to: span.window.to, items: items.sort(compareItems), truncated: events.next !== undefined };
}
