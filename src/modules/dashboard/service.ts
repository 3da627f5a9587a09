import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { countPendingInvitations, listOccurrences, VIEW_EVENT_LIMIT } from '../events/index.ts';
import { listBirthdaysBetween } from '../people/index.ts';
import { listOpenProjects } from '../projects/index.ts';
import { countActiveReminders, listDueReminders } from '../reminders/index.ts';
import type { UserClock } from '../settings/index.ts';
import { countOpenTodos } from '../todos/index.ts';
import { activeVaultSummary } from '../vault-reminders/index.ts';
import type { Dashboard } from './schemas.ts';
import { daysFromToday } from '../../platform/time/day.ts';

/** How far ahead the dashboard looks for birthdays, today included. */
export const BIRTHDAY_DAYS = 30;

/**
 * One screen of data in a fixed number of queries, whatever the data: every part is computed from
 * one reading of the clock (so they agree on "now" and "today") and the parts run concurrently.
 * On PGlite, a single connection, they queue.
 */
export async function buildDashboard(db: Kysely<DB>, userId: string, clock: UserClock): Promise<Dashboard> {
  const day = daysFromToday(clock, 1);
  const [events, todos, active, due, projects, pendingInvitations, birthdays, vault] = await Promise.all([
    listOccurrences(db, userId, day.window, {}, { limit: VIEW_EVENT_LIMIT }),
    countOpenTodos(db, userId, day.dates.from),
    countActiveReminders(db, userId),
    listDueReminders(db, userId, clock.now),
    listOpenProjects(db, userId),
    countPendingInvitations(db, userId),
    listBirthdaysBetween(db, userId, daysFromToday(clock, BIRTHDAY_DAYS).dates),
    activeVaultSummary(db, userId, clock),
  ]);
  return {
    date: day.dates.from,
    timezone: clock.timezone,
    events_today: events.items,
    truncated: events.next !== undefined,
    todos,
    reminders: { active, due },
    projects: projects.map(({ id, name, status, progress }) => ({ id, name, status, progress })),
    pending_invitations: pendingInvitations,
    birthdays,
    vault,
  };
}
