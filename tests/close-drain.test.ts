import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase } from './helpers/database.ts';
import { registerUser } from './helpers/users.ts';

// Holding a handler mid-request needs a second connection that takes a table lock; the embedded
// database is one connection, so this runs on PostgreSQL only.
const onPostgres = inject('testDatabase').kind === 'postgres';

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached in 5 s');
}

describe.runIf(onPostgres)('closing the app', () => {
  it('waits for a request still running, in its first hooks or its handler (its client may be gone), before the database closes under it', async () => {
    const testDatabase = await createTestDatabase();
    const app = await buildApp(testConfig(), { database: testDatabase.database });
    const locker = new pg.Client({ connectionString: testDatabase.url });
    try {
      await app.ready();
      const user = await registerUser(app);
      await locker.connect();
      await locker.query('BEGIN');
      // The session lookup reads the user's clock with the session (a join on user_settings): the
      // request waits in its first hook, before any handler runs, and closing must wait for it.
      await locker.query('LOCK TABLE user_settings IN ACCESS EXCLUSIVE MODE');
      const pending = app.inject({ method: 'GET', url: '/api/dashboard', headers: user.headers });
      await until(async () => {
        const waiting = await locker.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        return (waiting.rows[0]?.n ?? 0) > 0;
      });

      let closed = false;
      const closing = app.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closed).toBe(false);

      await locker.query('COMMIT');
      await closing;
      // The owner of the database closes it as soon as the app has closed (as src/server.ts does).
      await testDatabase.database.close();
      const response = await pending;
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ pending_invitations: 0 });
    } finally {
      await locker.end().catch(() => undefined);
      await testDatabase.drop();
    }
  });
});
