import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { daysFromToday, type UserClock } from '../../platform/time/day.ts';
import { addDaysToDate, localDate } from '../../platform/time/zoned.ts';
import { listOccurrences, VIEW_EVENT_LIMIT } from '../events/index.ts';
import { listActiveRemindersBetween } from '../reminders/index.ts';
import { listOpenTodosDue } from '../todos/index.ts';
import { listVaultReminders, type VaultReminderRow } from '../vault-reminders/index.ts';
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

/** "Passport: expiry date 2030-05-01" for a computed reminder, "Car: book the service" for a custom one. */
function vaultTitle(reminder: VaultReminderRow): string {
  if (reminder.field === null || reminder.date === null) return `${reminder.item_name}: ${reminder.note ?? 'reminder'}`;
  return `${reminder.item_name}: ${reminder.field.replaceAll('_', ' ')} ${reminder.date}`;
}

/**
 * What is due from now to the end of the 7th day (today included) in the user's zone: event
 * occurrences and active reminders from this moment on, open todos due on those dates, and the
 * vault reminders (not dismissed) of every household the user belongs to whose day is one of them.
 */
export async function collectEntries(db: Kysely<DB>, userId: string, clock: UserClock): Promise<DigestEntry[]> {
  const span = daysFromToday(clock, DIGEST_DAYS);
  const ahead = { from: clock.now, to: span.window.to };
  const dayOf = (instant: Date) => {
    const date = localDate(instant, clock.timezone);
    return date < span.dates.from ? span.dates.from : date;
  };
  const lastDay = addDaysToDate(span.dates.to, -1);
  const [events, todos, reminders, vault] = await Promise.all([
    listOccurrences(db, userId, ahead, {}, { limit: VIEW_EVENT_LIMIT }),
    listOpenTodosDue(db, userId, span.dates),
    listActiveRemindersBetween(db, userId, ahead),
    listVaultReminders(db, { userId, households: 'all' }, { from: span.dates.from, to: lastDay, dateFrom: span.dates.from }),
  ]);
  const entries: DigestEntry[] = [
    ...events.items.map((o): DigestEntry => ({ kind: 'event', title: o.title, date: dayOf(o.start_at), ...(o.all_day ? {} : { at: o.start_at.toISOString() }) })),
    ...todos.map((t): DigestEntry => ({ kind: 'todo', title: t.title, date: t.due_date })),
    ...reminders.map((r): DigestEntry => ({ kind: 'reminder', title: r.title, date: dayOf(r.at), at: r.at.toISOString() })),
    ...vault.map((v): DigestEntry => ({ kind: 'vault_reminder', title: vaultTitle(v), date: v.remind_on, household: v.household_name })),
  ];
  return entries.sort(compareEntries);
}
