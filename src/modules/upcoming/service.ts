import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { listOccurrences, VIEW_EVENT_LIMIT } from '../events/index.ts';
import { startOfLocalDay } from '../../platform/time/zoned.ts';
import { listBirthdaysBetween } from '../people/index.ts';
import { listActiveRemindersBetween } from '../reminders/index.ts';
import type { UserClock } from '../settings/index.ts';
import { listOpenTasksDue } from '../projects/index.ts';
import { listOpenTodosDue } from '../todos/index.ts';
import type { Upcoming, UpcomingItem } from './schemas.ts';
import { daysFromToday } from '../../platform/time/day.ts';

const TYPE_ORDER: Record<UpcomingItem['type'], number> = { event: 0, todo: 1, reminder: 2, task: 3, birthday: 4 };

/** Time order; equal times by type, then id, then (for a series' occurrences) original start. */
function compareItems(a: UpcomingItem, b: UpcomingItem): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  if (a.type !== b.type) return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
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
  const [events, todos, reminders, tasks, birthdays] = await Promise.all([
    listOccurrences(db, userId, span.window, {}, { limit: VIEW_EVENT_LIMIT }),
    listOpenTodosDue(db, userId, span.dates),
    listActiveRemindersBetween(db, userId, span.window),
    listOpenTasksDue(db, userId, span.dates),
    listBirthdaysBetween(db, userId, span.dates),
  ]);
  const items: UpcomingItem[] = [
    ...events.items.map((o): UpcomingItem => ({ type: 'event', id: o.id, title: o.title, at: o.start_at, all_day: o.all_day, occurrence_start: o.occurrence_start })),
    ...todos.map((t): UpcomingItem => ({ type: 'todo', id: t.id, title: t.title, at: midnight(t.due_date), all_day: true })),
    ...reminders.map((r): UpcomingItem => ({ type: 'reminder', id: r.id, title: r.title, at: r.at, all_day: false })),
    ...tasks.map((t): UpcomingItem => ({ type: 'task', id: t.id, title: t.title, at: midnight(t.due_date), all_day: true, project_id: t.project_id })),
    ...birthdays.map((b): UpcomingItem => ({ type: 'birthday', id: b.person_id, title: b.name, at: midnight(b.date), all_day: true, person_id: b.person_id })),
  ];
  return { from: span.window.from, to: span.window.to, items: items.sort(compareItems), truncated: events.next !== undefined };
}
