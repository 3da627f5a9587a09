import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDb } from '../src/platform/db/create-db.ts';
import { serverDatabaseEnv, startServerProcess } from './helpers/server-process.ts';
import { PASSWORD, uniqueEmail } from './helpers/users.ts';

// kill -9 lands in the middle of a burst of multi-row writes (a registration writes the user, their
// settings, their default calendar and their household "Home" with its owner membership in one
// transaction). After a restart on the same data every account must be whole: all of it, or none.
describe('kill -9 during a burst of multi-row writes', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => cleanup?.());

  it('leaves nothing half-written, and the restarted server serves every completed write', async () => {
    const database = await serverDatabaseEnv();
    cleanup = database.cleanup;
    const first = await startServerProcess(database.env);

    const emails = Array.from({ length: 40 }, () => uniqueEmail('crash'));
    const outcomes = emails.map((email) =>
      fetch(`${first.baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      }).then(
        (response) => response.status,
        () => 'cut off' as const,
      ),
    );
    // Let some registrations finish and others be in flight, then pull the plug.
    let completed = 0;
    for (const outcome of outcomes) void outcome.then((status) => status === 201 && completed++);
    for (let waited = 0; completed < 3 && waited < 20_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    const statuses = await Promise.all(outcomes);
    expect(await first.exited).toBeNull();
    const confirmed = emails.filter((_, index) => statuses[index] === 201);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 'cut off').length).toBeGreaterThan(0);

    // The restarted server recovers the data and serves every acknowledged account.
    const second = await startServerProcess(database.env);
    for (const email of confirmed) {
      const login = await fetch(`${second.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(login.status, email).toBe(200);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // Read the stored data directly: every user whole.
    const { db } = await createDb({
      databaseUrl: database.env.DATABASE_URL,
      dataDir: database.env.DATA_DIR ?? '',
    });
    try {
      const broken = await sql<{ email: string }>`
        select u.email from users u
        where not exists (select 1 from user_settings s where s.user_id = u.id)
           or (select count(*) from calendars c where c.user_id = u.id and c.is_default) <> 1
           or (select count(*) from household_members m join households h on h.id = m.household_id
               where m.user_id = u.id and m.role = 'owner' and h.name = 'Home') <> 1
           or not exists (select 1 from user_settings s where s.user_id = u.id and s.active_household_id is not null)
      `.execute(db);
      // No household is left without its owner (a registration cut between the two rows).
      const ownerless = await sql<{ id: string }>`
        select h.id from households h where not exists (select 1 from household_members m where m.household_id = h.id and m.role = 'owner')
      `.execute(db);
      expect(ownerless.rows).toEqual([]);
      expect(broken.rows).toEqual([]);
      const stored = await db.selectFrom('users').select('email').execute();
      expect(stored.map((user) => user.email)).toEqual(expect.arrayContaining(confirmed));
    } finally {
      await db.destroy();
    }
  }, 120_000);
});

// The same for the event write with the most rows: a split (`scope=following`) ends the old series,
// creates a new one, copies the invitees and records history on both, in one transaction.
describe('kill -9 during a burst of event splits with invitees', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => cleanup?.());

  it('leaves every series whole: invitees copied and history written, or the split not made', async () => {
    const database = await serverDatabaseEnv();
    cleanup = database.cleanup;
    const first = await startServerProcess(database.env);
    const post = (path: string, body: unknown, cookie = '') =>
      fetch(`${first.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

    const register = async (email: string) => {
      const response = await post('/api/auth/register', { email, password: PASSWORD });
      expect(response.status).toBe(201);
      return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    };
    const owner = await register(uniqueEmail('owner'));
    const guests = [uniqueEmail('guest'), uniqueEmail('guest'), uniqueEmail('guest')];
    for (const guest of guests) await register(guest);
    const series: string[] = [];
    for (let i = 0; i < 24; i++) {
      const created = await post('/api/events', { title: `weekly ${i}`, start_at: '2027-01-04T09:00:00Z', end_at: '2027-01-04T10:00:00Z', rrule: 'FREQ=WEEKLY' }, owner);
      expect(created.status).toBe(201);
      const { id } = z.object({ id: z.uuid() }).parse(await created.json());
      for (const email of guests) expect((await post(`/api/events/${id}/invitees`, { email }, owner)).status).toBe(201);
      series.push(id);
    }

    const outcomes = series.map((id) =>
      fetch(`${first.baseUrl}/api/events/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', cookie: owner },
        body: JSON.stringify({ scope: 'following', occurrence_start: '2027-03-01T09:00:00Z', title: 'moved on' }),
      }).then(
        (response) => response.status,
        () => 'cut off' as const,
      ),
    );
    let completed = 0;
    for (const outcome of outcomes) void outcome.then((status) => status === 200 && completed++);
    for (let waited = 0; completed < 2 && waited < 20_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill('SIGKILL');
    const statuses = await Promise.all(outcomes);
    expect(await first.exited).toBeNull();
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 'cut off').length).toBeGreaterThan(0);

    // Recovery: the server starts on the same data (PGlite replays its WAL here).
    const second = await startServerProcess(database.env);
    expect((await fetch(`${second.baseUrl}/readyz`)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const { db } = await createDb({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR ?? '' });
    try {
      // Every series, old or new, has its three invitees and its creation in the history.
      const incomplete = await sql<{ id: string }>`
        select e.id from events e
        where (select count(*) from event_invitees i where i.event_id = e.id) <> 3
           or not exists (select 1 from event_history h where h.event_id = e.id and h.action = 'created')
      `.execute(db);
      expect(incomplete.rows).toEqual([]);
      // Each split is whole: an old series ended before 1 March with its split recorded, and one new series.
      const counts = await sql<{ events: number; ended: number; recorded: number }>`
        select (select count(*)::int from events) as events,
               (select count(*)::int from events where rrule like '%UNTIL=%') as ended,
               (select count(*)::int from event_history where occurrence_start = '2027-03-01T09:00:00Z' and action = 'updated') as recorded
      `.execute(db);
      const [row] = counts.rows;
      const splits = (row?.events ?? 0) - series.length;
      expect(splits).toBeGreaterThanOrEqual(statuses.filter((status) => status === 200).length);
      expect(row?.ended).toBe(splits);
      expect(row?.recorded).toBe(splits);
      // A new series starts at the split and carries the change.
      const moved = await db.selectFrom('events').select('title').where('start_at', '=', new Date('2027-03-01T09:00:00Z')).execute();
      expect(moved).toHaveLength(splits);
      expect(moved.every((event) => event.title === 'moved on')).toBe(true);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
