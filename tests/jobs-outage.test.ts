import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type App, buildApp } from '../src/app.ts';
import { defineQueue } from '../src/platform/jobs/queue.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { eventually } from './helpers/eventually.ts';

// pg-boss's worker records a finished job (complete or fail) without awaiting it. When the
// database is gone at that moment, that must not become an unhandled rejection (which ends a
// server process): it is logged, and the job stays active until it expires and runs again.
describe('a job that finishes while the database is away', () => {
  let testDatabase: TestDatabase;
  let app: App;
  const logLines: string[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = await buildApp(testConfig({ LOG_LEVEL: 'warn' }), {
      database: testDatabase.database,
      jobs: { pollingIntervalSeconds: 0.5 },
      logStream: { write: (line) => void logLines.push(line) },
    });
    const queue = defineQueue('test-outage', z.object({}));
    await app.jobs.work(queue, {}, async () => {
      await testDatabase.kill();
    });
    await app.ready();
    await app.db.transaction().execute((trx) => app.jobs.send(trx, queue, {}));
  });
  afterAll(async () => {
    await app.close().catch(() => undefined);
    await testDatabase.drop().catch(() => undefined);
  });

  it('is logged, not an unhandled rejection', async () => {
    const line = await eventually(
      async () => logLines.find((candidate) => candidate.includes('could not record a finished job')),
      (found) => found !== undefined,
    );
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 40 });
  });
});
