import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB, Json } from '../../platform/db/schema.ts';

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

type Callback = (error?: unknown) => void;

// What a stored session looks like once JSON has turned its Dates into strings.
const StoredSessionSchema = z.object({
  cookie: z.looseObject({
    originalMaxAge: z.number().nullable(),
    expires: z.coerce.date().nullable().optional(),
  }),
  userId: z.string().optional(),
  refreshedAt: z.number().optional(),
});

function userIdOf(session: Session): string | null {
  return typeof session.userId === 'string' ? session.userId : null;
}

/**
 * @fastify/session store on the `sessions` table: any number of server processes share sessions.
 * The user id is kept in its own column so all of a user's sessions can be ended at once.
 */
export function createSessionStore(db: Kysely<DB>): SessionStore {
  return {
    set(sid: string, session: Session, callback: Callback) {
      const expiresAt = session.cookie.expires ?? new Date(Date.now() + THIRTY_DAYS_MS);
      // The session as JSON (its cookie's Date as a string), parsed into jsonb by the database;
      // the clock is read afresh with every lookup, never stored.
      const data = sql<Json>`${JSON.stringify(session, (key, value: unknown) => (key === 'clock' ? undefined : value))}::jsonb`;
      db.insertInto('sessions')
        .values({ sid, user_id: userIdOf(session), data, expires_at: expiresAt })
        .onConflict((conflict) =>
          conflict.column('sid').doUpdateSet({ user_id: userIdOf(session), data, expires_at: expiresAt }),
        )
        .execute()
        .then(() => callback(), callback);
    },
    // With the session, the user's clock (time zone, the database's now): every view needs it,
    // and this is the one statement each signed-in request already sends.
    get(sid: string, callback: (error: unknown, session?: Session | null) => void) {
      db.selectFrom('sessions as s')
        .leftJoin('user_settings as us', 'us.user_id', 's.user_id')
        .select(['s.data', 'us.timezone', sql<Date>`now()`.as('now')])
        .where('s.sid', '=', sid)
        .where('s.expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst()
        .then((row) => {
          const parsed = row ? StoredSessionSchema.safeParse(row.data) : undefined;
          const clock = row ? { timezone: row.timezone ?? 'UTC', now: row.now } : undefined;
          callback(null, parsed?.success ? { ...parsed.data, clock } : null);
        }, callback);
    },
    destroy(sid: string, callback: Callback) {
      db.deleteFrom('sessions')
        .where('sid', '=', sid)
        .execute()
        .then(() => callback(), callback);
    },
  };
}

/** Removes expired sessions; run periodically by the auth plugin. */
export async function purgeExpiredSessions(db: Kysely<DB>): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends every session of a user except, optionally, the one in use. */
export async function deleteUserSessions(db: Kysely<DB>, userId: string, exceptSid?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSid) query = query.where('sid', '<>', exceptSid);
  await query.execute();
}
