import { type RawBuilder, sql } from 'kysely';

/** `%text%` for ILIKE, with the user's own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Today's date in the user's own time zone, read from their settings inside the query. */
export function userToday(userId: string): RawBuilder<string> {
  return sql<string>`(select (now() at time zone s.timezone)::date from user_settings s where s.user_id = ${userId})`;
}
