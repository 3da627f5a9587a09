import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export type AttemptKey = { email: string; ip: string };

/**
 * Counts the attempts of this email+IP inside the window and, if below the limit, records one
 * more, all under an advisory lock on the key, so concurrent logins (from any number of server
 * processes) cannot slip past the limit. Run inside a transaction. Returns the new attempt id, or
 * the moment the oldest counted attempt leaves the window when the limit is reached.
 */
export async function reserveAttempt(
  db: Kysely<DB>,
  key: AttemptKey,
  limit: number,
  windowMinutes: number,
): Promise<{ id: number } | { retryAt: Date }> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${key.email} ${key.ip}`}, 0))`.execute(db);
  const windowStart = sql<Date>`now() - make_interval(mins => ${windowMinutes})`;
  const recent = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('attempted_at').as('oldest')])
    .where('email', '=', key.email)
    .where('ip', '=', key.ip)
    .where('attempted_at', '>', windowStart)
    .executeTakeFirstOrThrow();
  if (recent.count >= limit && recent.oldest) {
    return { retryAt: new Date(recent.oldest.getTime() + windowMinutes * 60_000) };
  }
  return db.insertInto('login_attempts').values(key).returning('id').executeTakeFirstOrThrow();
}

/** A successful sign-in clears the failures of that email+IP (including its own reservation). */
export async function clearAttempts(db: Kysely<DB>, key: AttemptKey): Promise<void> {
  await db.deleteFrom('login_attempts').where('email', '=', key.email).where('ip', '=', key.ip).execute();
}

export async function purgeOldAttempts(db: Kysely<DB>, windowMinutes: number): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('attempted_at', '<', sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .execute();
}
