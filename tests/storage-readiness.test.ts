import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { StorageUnavailableError } from '../src/platform/storage/errors.ts';
import { buildTestApp, closeTestApp, type TestContext, testConfig } from './helpers/app.ts';
import { createTestDatabase } from './helpers/database.ts';
import { makeReadOnly, makeWritable } from './helpers/read-only-dir.ts';
import { startTestS3, type TestS3 } from './helpers/test-s3.ts';

async function readiness(context: TestContext) {
  const response = await context.app.inject({ method: 'GET', url: '/readyz' });
  return { status: response.statusCode, body: response.json() };
}

describe('readiness with files on disk', () => {
  let directory: string;
  let context: TestContext;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'umbra-ready-'));
    context = await buildTestApp({ FILES_DIR: join(directory, 'files') });
  });
  afterAll(async () => {
    await closeTestApp(context);
    await makeWritable(directory).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  });

  it('answers 503 while FILES_DIR takes no writes, and 200 again once it does', async () => {
    expect(context.app.storage.kind).toBe('disk');
    expect(await readiness(context)).toEqual({ status: 200, body: { status: 'ok' } });
    await makeReadOnly(directory);
    try {
      expect(await readiness(context)).toMatchObject({ status: 503, body: { status: 503, detail: 'The file storage does not answer' } });
      expect((await context.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await makeWritable(directory);
    }
    expect((await readiness(context)).status).toBe(200);
  });
});

describe('readiness with files in S3', () => {
  let s3: TestS3;
  let context: TestContext;
  beforeAll(async () => {
    s3 = await startTestS3();
    context = await buildTestApp(s3.env);
  });
  afterAll(async () => {
    await closeTestApp(context);
    await s3.stop();
  });

  it('uses the bucket when S3_BUCKET is set, and answers 503 while S3 is down', async () => {
    expect(context.app.storage.kind).toBe('s3');
    await context.app.storage.put('ready/probe', Readable.from([Buffer.from('x')]));
    expect(s3.requests().some((request) => request.url.startsWith(`/${s3.bucket}/ready/probe`))).toBe(true);

    expect((await readiness(context)).status).toBe(200);
    await s3.pause();
    try {
      expect(await readiness(context)).toMatchObject({ status: 503, body: { detail: 'The file storage does not answer' } });
    } finally {
      await s3.resume();
    }
    expect((await readiness(context)).status).toBe(200);
  });
});

describe('a route that meets a storage outage', () => {
  it('answers a 503 problem with a stable code and logs the cause', async () => {
    const testDatabase = await createTestDatabase();
    const lines: string[] = [];
    const app = await buildApp(testConfig({ LOG_LEVEL: 'error' }), { database: testDatabase.database, logStream: { write: (line) => void lines.push(line) } });
    app.get('/storage-outage', async () => {
      throw new StorageUnavailableError({ cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    });
    await app.ready();
    try {
      const response = await app.inject({ method: 'GET', url: '/storage-outage' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 503, code: 'UMBRA_STORAGE_UNAVAILABLE', detail: 'The file storage is unavailable; try again shortly' });
      expect(response.body).not.toContain('ECONNREFUSED');
      expect(lines.join('\n')).toContain('ECONNREFUSED');
    } finally {
      await app.close();
      await testDatabase.drop();
    }
  });
});
