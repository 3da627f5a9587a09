import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { daysFromToday, type UserClock } from '../../platform/time/day.ts';
import { localDate } from '../../platform/time/zoned.ts';
import { listOccurrences, VIEW_EVENT_LIMIT } from '../events/index.ts';
import { listActiveRemindersBetween } from '../reminders/index.ts';
import { listOpenTodosDue } from '../todos/index.ts';
import { DIGEST_DAYS, type DigestEntry } from './schemas.ts';

const KIND_ORDER: Record<DigestEntry['kind'], number> = { event: 0, todo: 1, reminder: 2, vault_reminder: 3 };

/** By day; in a day the all-day and dated entries first, then by time, kind and title. */
function compareEntries(a: DigestEntry, b: DigestEntry): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if ((a.at === undefined) !== (b.at === undefined)) return a.at === undefined ? -1 : 1;
  if (a.at !== undefined && b.at !== undefined && a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.title.localeCompare(b.title);
}

/**
 * What is due from now to the end of the 7th day (today included) in the user's zone: event
 * occurrences and active reminders from this moment on, open todos due on those dates.
 */
export async function collectEntries(db: Kysely<DB>, userId: string, clock: UserClock): Promise<DigestEntry[]> {
  const span = daysFromToday(clock, DIGEST_DAYS);
  const ahead = { from: clock.now, to: span.window.to };
  const dayOf = (instant: Date) => {
    const date = localDate(instant, clock.timezone);
    return date < span.dates.from ? span.dates.from : date;
  };
  const [events, todos, reminders] = await Promise.all([
    listOccurrences(db, userId, ahead, {}, { limit: VIEW_EVENT_LIMIT }),
    listOpenTodosDue(db, userId, span.dates),
    listActiveRemindersBetween(db, userId, ahead),
  ]);
  const entries: DigestEntry[] = [
    ...events.items.map((o): DigestEntry => ({ kind: 'event', title: o.title, date: dayOf(o.start_at), ...(o.all_day ? {} : { at: o.start_at.toISOString() }) })),
    ...todos.map((t): DigestEntry => ({ kind: 'todo', title: t.title, date: t.due_date })),
    ...reminders.map((r): DigestEntry => ({ kind: 'reminder', title: r.title, date: dayOf(r.at), at: r.at.toISOString() })),
  ];
  return entries.sort(compareEntries);
}
