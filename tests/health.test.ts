import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { buildTestApp, testConfig, useTestApp } from './helpers/app.ts';
import { createTestDatabase } from './helpers/database.ts';

describe('health and readiness', () => {
  const t = useTestApp();

  it('GET /healthz answers while the process runs', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database does', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('readiness with the database gone', () => {
  it('GET /readyz is a 503 problem while /healthz stays 200', async () => {
    const testDatabase = await createTestDatabase();
    const app = await buildApp(testConfig(), { database: testDatabase.database });
    await app.ready();
    await testDatabase.kill();

    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.json()).toMatchObject({ status: 503, detail: 'The database does not answer' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
    await testDatabase.drop();
  });

  it('buildTestApp gives each file a database of its own', async () => {
    const a = await buildTestApp();
    const b = await buildTestApp();
    expect(a.testDatabase.database).not.toBe(b.testDatabase.database);
    await Promise.all([a.app.close(), b.app.close()]);
    await Promise.all([a.testDatabase.drop(), b.testDatabase.drop()]);
  });
});
