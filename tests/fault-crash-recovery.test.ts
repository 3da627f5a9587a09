import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/create-db.ts';
import { serverDatabaseEnv, startServerProcess } from './helpers/server-process.ts';
import { PASSWORD, uniqueEmail } from './helpers/users.ts';

// kill -9 lands in the middle of a burst of multi-row writes (a registration writes the user, their
// settings and their default calendar in one transaction). After a restart on the same data every
// account must be whole: all three rows, or none.
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
      `.execute(db);
      expect(broken.rows).toEqual([]);
      const stored = await db.selectFrom('users').select('email').execute();
      expect(stored.map((user) => user.email)).toEqual(expect.arrayContaining(confirmed));
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
