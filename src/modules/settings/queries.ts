import type { Kysely } from 'kysely';
import type { DB, Theme } from '../../platform/db/schema.ts';
import type { UserClock } from '../../platform/time/day.ts';

export type { UserClock };

export type SettingsRow = {
  email: string;
  display_name: string;
  timezone: string;
  week_start: number;
  theme: Theme;
  default_calendar_id: string | null;
  default_reminder_minutes: number | null;
  active_household_id: string | null;
  email_digest: boolean;
};

export type SettingsChanges = {
  timezone?: string;
  week_start?: number;
  theme?: Theme;
  default_reminder_minutes?: number | null;
  active_household_id?: string;
  email_digest?: boolean;
};

export async function insertSettings(db: Kysely<DB>, userId: string): Promise<void> {
  await db.insertInto('user_settings').values({ user_id: userId }).execute();
}

/** Settings with the account's email/name and the default calendar, in one query. */
export async function findSettings(db: Kysely<DB>, userId: string): Promise<SettingsRow | undefined> {
  return db
    .selectFrom('user_settings as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('calendars as c', (join) => join.onRef('c.user_id', '=', 's.user_id').on('c.is_default', '=', true))
    .select([
      'u.email',
      'u.display_name',
      's.timezone',
      's.week_start',
      's.theme',
      'c.id as default_calendar_id',
      's.default_reminder_minutes',
      's.active_household_id',
      's.email_digest',
    ])
    .where('s.user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * Locks the user's settings row for the rest of the transaction. Every settings write takes this
 * lock first, so two changes of one user's default calendar run one after the other: without
 * it they cleared and set is_default on the calendars in opposite orders, and deadlocked or hit
 * the one-default index.
 */
export async function lockSettings(db: Kysely<DB>, userId: string): Promise<void> {
  await db.selectFrom('user_settings').select('user_id').where('user_id', '=', userId).forUpdate().execute();
}

export async function updateSettings(db: Kysely<DB>, userId: string, changes: SettingsChanges): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('user_settings').set(changes).where('user_id', '=', userId).execute();
}

/** The user's IANA time zone ("today" and "overdue" are computed in it). */
export async function findUserTimezone(db: Kysely<DB>, userId: string): Promise<string> {
  const row = await db.selectFrom('user_settings').select('timezone').where('user_id', '=', userId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

