import bcrypt from 'bcryptjs';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../src/platform/db/schema.ts';
import { insertCalendar } from '../src/modules/calendars/queries.ts';
import { insertSettings } from '../src/modules/settings/queries.ts';
import { insertUser } from '../src/modules/auth/queries.ts';
import { seededRandom } from './random.ts';
import { seedEvents, seedInvitations } from './seed-events.ts';
import { seedPeople, seedProjects, seedReminders } from './seed-records.ts';
import { seedTodos } from './seed-todos.ts';
import { seedVault } from './seed-vault.ts';

export type Seeded = { benchUserId: string; benchEmail: string; benchPassword: string; todoId: string; eventId: string; householdId: string };

const PASSWORD = 'bench password 1';

async function createUser(db: Kysely<DB>, email: string, passwordHash: string, timezone: string) {
  const user = await insertUser(db, { email, display_name: email.split('@')[0] ?? email, password_hash: passwordHash });
  await insertSettings(db, user.id);
  await db.updateTable('user_settings').set({ timezone }).where('user_id', '=', user.id).execute();
  const calendar = await insertCalendar(db, user.id, { name: 'Personal', is_default: true });
  return { user, calendar };
}

/**
 * The bench data set, deterministic for a scale: one bench user with 2,000 todos, 1,500 events
 * (150 recurring), 200 reminders, 20 projects of 50 tasks and 100 people (each x scale), and 50
 * other users holding 20,000 todos and 1,000 events (x scale) between them, 200 (x scale) of
 * which they shared with the bench user.
 *
 * A larger scale is a longer history, not a busier month: the extra events are singles spread
 * over more past years and series that have ended (seed-events.ts), so any 30 days hold about
 * as many occurrences at every scale. That is what "the month view stays fast as the data
 * grows 10x" measures: the cost of the data outside the window.
 *
 * The bench user's active household holds `vaultItems` vault items (bench/seed-vault.ts; not
 * scaled, default 2,000; 0 leaves it empty), seeded last so the rest stays as it was.
 */
export async function seedAll(db: Kysely<DB>, scale: number, vaultItems = 2000): Promise<Seeded> {
  const random = seededRandom(42);
  const passwordHash = bcrypt.hashSync(PASSWORD, 10);
  const bench = await createUser(db, 'bench@umbra.test', passwordHash, 'Europe/Berlin');
  await seedTodos(db, random, bench.user.id, 2000 * scale);
  await seedReminders(db, random, bench.user.id, 200 * scale);
  await seedProjects(db, random, bench.user.id, 20, 50 * scale);
  await seedPeople(db, random, bench.user.id, 100 * scale);
  const benchEvents = await seedEvents(db, random, bench.user.id, { count: 1500 * scale, recurring: 150 * scale, openSeries: 150, scale });
  const benchInvitee = { id: bench.user.id, email: 'bench@umbra.test' };
  for (let i = 0; i < 50; i++) {
    const other = await createUser(db, `other${i}@umbra.test`, passwordHash, random.pick(['UTC', 'America/New_York', 'Asia/Tokyo']));
    await seedTodos(db, random, other.user.id, 400 * scale);
    // Shared events: each other user owns a few and invites the bench user to some of them.
    const theirs = await seedEvents(db, random, other.user.id, { count: 20 * scale, recurring: 2 * scale, openSeries: 2, scale });
    await seedInvitations(db, random, other.user.id, theirs.slice(0, 4 * scale), benchInvitee);
  }
  const householdId = await seedVault(db, bench.user.id, vaultItems);
  // As autovacuum would have by now: statistics and the visibility map (index-only counts).
  await sql`VACUUM ANALYZE`.execute(db);
  const todo = await db.selectFrom('todos').select('id').where('user_id', '=', bench.user.id).orderBy('id').executeTakeFirstOrThrow();
  const eventId = benchEvents[benchEvents.length - 1] ?? '';
  return { benchUserId: bench.user.id, benchEmail: 'bench@umbra.test', benchPassword: PASSWORD, todoId: todo.id, eventId, householdId };
}
