import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

// The digest's bookkeeping: who opted in, in which zones, and the one row per (user, local date)
// that a run claims before it queues the mail.

/** The time zones of the users who want the digest (few: one per zone in use). */
export async function listDigestZones(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('user_settings').select('timezone').distinct().where('email_digest', '=', true).execute();
  return rows.map((row) => row.timezone);
}

export type DueUser = { user_id: string; email: string; display_name: string; timezone: string; local_date: string };

/**
 * Users of these zones who want the digest and have none for that zone's local date yet. `zones`
 * holds only zones whose local time is 08:00 or later, each with its local date.
 */
export async function listDueUsers(db: Kysely<DB>, zones: Array<{ timezone: string; localDate: string }>, limit: number): Promise<DueUser[]> {
  if (zones.length === 0) return [];
  const values = sql.join(zones.map((zone) => sql`(${zone.timezone}::text, ${zone.localDate}::date)`));
  const result = await sql<DueUser>`
    select s.user_id, u.email, u.display_name, s.timezone, to_char(z.local_date, 'YYYY-MM-DD') as local_date
    from user_settings s
    join (values ${values}) as z (timezone, local_date) on z.timezone = s.timezone
    join users u on u.id = s.user_id
    where s.email_digest
      and not exists (select 1 from digest_runs d where d.user_id = s.user_id and d.local_date = z.local_date)
    order by s.user_id
    limit ${limit}`.execute(db);
  return result.rows;
}

/**
 * Claims the user's digest of a local date: true for the one transaction that inserted the row
 * (a concurrent one waits on the key, then finds it taken). Only while the user still wants it.
 */
export async function claimDigest(db: Kysely<DB>, userId: string, localDate: string): Promise<boolean> {
  const claimed = await db
    .insertInto('digest_runs')
    .columns(['user_id', 'local_date', 'entries'])
    .expression((eb) =>
      eb
        .selectFrom('user_settings')
        .select(['user_id', sql<string>`${localDate}::date`.as('local_date'), sql<number>`0`.as('entries')])
        .where('user_id', '=', userId)
        .where('email_digest', '=', true),
    )
    .onConflict((conflict) => conflict.columns(['user_id', 'local_date']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function recordDigest(db: Kysely<DB>, userId: string, localDate: string, mailId: string | null, entries: number): Promise<void> {
  await db
    .updateTable('digest_runs')
    .set({ mail_id: mailId, entries })
    .where('user_id', '=', userId)
    .where('local_date', '=', sql<string>`${localDate}::date`)
    .execute();
}

/** Rows of past days are no longer needed to keep today's digest single (kept two days for the record). */
export async function purgeDigestRuns(db: Kysely<DB>, before: string): Promise<void> {
  await db.deleteFrom('digest_runs').where('local_date', '<', sql<string>`${before}::date`).execute();
}
