import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../db/schema.ts';

/** `%text%` for ILIKE, with the user's own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Today's date in the user's own time zone, read from their settings inside the query. */
export function userToday(userId: string): RawBuilder<string> {
  return sql<string>`(select (now() at time zone s.timezone)::date from user_settings s where s.user_id = ${userId})`;
}

/**
 * The same date as a value, for expressions that take it as an argument: passed as a parameter
 * rather than a subquery, PostgreSQL can inline SQL functions such as next_birthday() around it.
 */
export async function findUserToday(db: Kysely<DB>, userId: string): Promise<string> {
  const row = await db.selectNoFrom(userToday(userId).as('today')).executeTakeFirst();
  return row?.today ?? new Date().toISOString().slice(0, 10);
}
