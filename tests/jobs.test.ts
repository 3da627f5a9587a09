import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type App, buildApp } from '../src/app.ts';
import { defineQueue, type Job } from '../src/platform/jobs/queue.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { eventually } from './helpers/eventually.ts';

// The jobs platform (pg-boss through the app's own database handle) on both databases: jobs
// sent in a transaction exist exactly when it commits, failures retry with back-off, schedules
// are stored, and closing the app lets a running handler finish and record its completion.

let testDatabase: TestDatabase;
let app: App;
const logLines: string[] = [];

const startApp = async () => {
  const started = await buildApp(testConfig({ LOG_LEVEL: 'warn' }), {
    database: testDatabase.database,
    jobs: { retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 },
    logStream: { write: (line) => void logLines.push(line) },
  });
  await started.ready();
  return started;
};

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await testDatabase.drop();
});

const db = () => testDatabase.database.db;
const jobState = async (id: string) =>
  (await sql<{ state: string }>`select state::text from pgboss.job where id = ${id}::uuid`.execute(db())).rows[0]?.state ?? 'none';

describe('sending in a transaction', () => {
  it('a rolled-back transaction leaves no job; a committed one runs, with its data parsed', async () => {
    const queue = defineQueue('test-echo', z.object({ n: z.number().int() }));
    const seen: Array<Job<{ n: number }>> = [];
    await app.jobs.work(queue, {}, async (job) => void seen.push(job));
    let rolledBack: string | null = null;
    await expect(
      db().transaction().execute(async (trx) => {
        rolledBack = await app.jobs.send(trx, queue, { n: 1 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(rolledBack).toEqual(expect.any(String));
    const committed = await db().transaction().execute((trx) => app.jobs.send(trx, queue, { n: 2 }));
    await eventually(async () => seen.length, (count) => count >= 1);
    await eventually(() => jobState(committed ?? ''), (state) => state === 'completed');
    expect(seen).toEqual([{ id: committed, data: { n: 2 }, attempt: 1, lastAttempt: false }]);
    expect(await jobState(rolledBack ?? '')).toBe('none');
  });

  it('refuses a queue nobody registered, and data its schema refuses, before anything is stored', async () => {
    const unknown = defineQueue('test-unregistered', z.object({}));
    await expect(db().transaction().execute((trx) => app.jobs.send(trx, unknown, {}))).rejects.toThrow(/used before app.jobs.register/);
    const strict = defineQueue('test-strict', z.object({ n: z.number().int() }));
    await app.jobs.register(strict);
    await expect(db().transaction().execute((trx) => app.jobs.send(trx, strict, { n: 1.5 }))).rejects.toThrow();
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'test-strict'`.execute(db())).rows[0]?.n)).toBe(0);
  });
});

describe('failures', () => {
  it('are retried with back-off until the handler succeeds; the handler knows the last attempt', async () => {
    const queue = defineQueue('test-flaky', z.object({}), { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true });
    const attempts: Array<[number, boolean]> = [];
    await app.jobs.work(queue, {}, async (job) => {
      attempts.push([job.attempt, job.lastAttempt]);
      if (!job.lastAttempt) throw new Error(`attempt ${job.attempt} fails`);
    });
    const id = await db().transaction().execute((trx) => app.jobs.send(trx, queue, {}));
    await eventually(() => jobState(id ?? ''), (state) => state === 'completed');
    expect(attempts).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const gaps = await sql<{ retry_delay: number; retry_backoff: boolean; retry_count: number }>`
      select retry_delay, retry_backoff, retry_count from pgboss.job where id = ${id}::uuid`.execute(db());
    expect(gaps.rows).toEqual([{ retry_delay: 1, retry_backoff: true, retry_count: 2 }]);
    const warnings = logLines.map((line) => JSON.parse(line)).filter((entry: { msg: string; queue?: string }) => entry.msg === 'background job failed' && entry.queue === 'test-flaky');
    expect(warnings.map((entry: { attempt: number }) => entry.attempt)).toEqual([1, 2]);
  });

  it('a job whose stored data no longer fits its schema is dropped, not retried forever', async () => {
    const queue = defineQueue('test-shape', z.object({ n: z.number() }));
    let calls = 0;
    await app.jobs.work(queue, {}, async () => void calls++);
    // Not before tomorrow, so no worker sees it until its data is spoilt.
    const id = (await db().transaction().execute((trx) => app.jobs.send(trx, queue, { n: 1 }, { startAfter: new Date(Date.now() + 86_400_000) }))) ?? '';
    await sql`update pgboss.job set data = '{"n":"one"}'::jsonb, start_after = now() where id = ${id}::uuid`.execute(db());
    await eventually(() => jobState(id), (state) => state === 'completed');
    expect(calls).toBe(0);
    expect(logLines.filter((line) => line.includes('background job with malformed data dropped') && line.includes(id))).toHaveLength(1);
  });
});

describe('ensure', () => {
  it('sends a job per id once: an id that waits is left alone, one that failed for good is retried', async () => {
    const queue = defineQueue('test-ensure', z.object({ k: z.string() }), { retryLimit: 0 });
    await app.jobs.register(queue);
    const ids = (await sql<{ id: string }>`select gen_random_uuid()::text as id from generate_series(1, 2)`.execute(db())).rows.map((row) => row.id);
    const [first = '', second = ''] = ids;
    await db().transaction().execute((trx) => app.jobs.ensure(trx, queue, [{ id: first, data: { k: 'a' } }]));
    await sql`update pgboss.job set state = 'failed' where id = ${first}::uuid`.execute(db());
    await db().transaction().execute((trx) => app.jobs.ensure(trx, queue, [{ id: first, data: { k: 'a' } }, { id: second, data: { k: 'b' } }]));
    await db().transaction().execute((trx) => app.jobs.ensure(trx, queue, [{ id: second, data: { k: 'b' } }]));
    const rows = await sql<{ id: string; state: string }>`select id::text, state::text from pgboss.job where name = 'test-ensure' order by state`.execute(db());
    expect(rows.rows).toEqual(expect.arrayContaining([{ id: first, state: 'retry' }, { id: second, state: 'created' }]));
    expect(rows.rows).toHaveLength(2);
  });
});

describe('schedules', () => {
  it('are stored with their cron and time zone, and a second registration replaces the first', async () => {
    const queue = defineQueue('test-digest', z.object({ kind: z.string() }));
    await app.jobs.schedule(queue, '0 8 * * *', { kind: 'first' }, { timeZone: 'Europe/Berlin' });
    await app.jobs.schedule(queue, '0 * * * *', { kind: 'hourly' });
    const rows = await sql<{ cron: string; timezone: string; data: unknown }>`select cron, timezone, data from pgboss.schedule where name = 'test-digest'`.execute(db());
    expect(rows.rows).toEqual([{ cron: '0 * * * *', timezone: 'UTC', data: { kind: 'hourly' } }]);
    await app.jobs.unschedule(queue);
    expect((await sql`select 1 from pgboss.schedule where name = 'test-digest'`.execute(db())).rows).toEqual([]);
  });
});

describe('closing the app', () => {
  it('lets a running handler finish and records its completion before it returns', async () => {
    const other = await startApp();
    const queue = defineQueue('test-slow', z.object({}));
    let started = false;
    let finished = false;
    await other.jobs.work(queue, {}, async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      finished = true;
    });
    const id = await db().transaction().execute((trx) => other.jobs.send(trx, queue, {}));
    await eventually(async () => started, (value) => value);
    await other.close();
    expect(finished).toBe(true);
    expect(await jobState(id ?? '')).toBe('completed');
  });
});
