import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { createPostgresDatabase, type Database } from '../src/platform/db/create-db.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { registerUser } from './helpers/users.ts';

// The embedded database lives inside the server process and cannot become unreachable on its
// own, so this outage is only meaningful (and only run) on a PostgreSQL server.
const onPostgres = inject('testDatabase').kind === 'postgres';

describe.runIf(onPostgres)('the database goes away while the server runs', () => {
  let testDatabase: TestDatabase;
  let proxy: TcpProxy;
  let database: Database;
  let app: App;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const target = new URL(testDatabase.url ?? '');
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    target.host = `127.0.0.1:${proxy.port}`;
    database = createPostgresDatabase(target.toString());
    app = await buildApp(testConfig(), { database });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
    await proxy.close();
    await testDatabase.drop();
  });

  it('answers 503 problem documents while it is away and recovers by itself when it returns', async () => {
    const user = await registerUser(app);
    const created = await app.inject({ method: 'POST', url: '/api/todos', headers: user.headers, payload: { title: 'before the outage' } });
    expect(created.statusCode).toBe(201);

    await proxy.cut();
    const checks = [
      await app.inject({ method: 'GET', url: '/readyz' }),
      await app.inject({ method: 'GET', url: '/api/todos', headers: user.headers }),
      await app.inject({ method: 'POST', url: '/api/todos', headers: user.headers, payload: { title: 'during the outage' } }),
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: 'whatever password' } }),
    ];
    for (const response of checks) {
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|SELECT/);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await proxy.restore();
    let ready = 0;
    for (let attempt = 0; attempt < 50 && ready !== 200; attempt++) {
      ready = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    const list = await app.inject({ method: 'GET', url: '/api/todos', headers: user.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((todo: { title: string }) => todo.title)).toEqual(['before the outage']);
    const after = await app.inject({ method: 'POST', url: '/api/todos', headers: user.headers, payload: { title: 'after the outage' } });
    expect(after.statusCode).toBe(201);
  });
});
