import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { invalidField } from '../src/platform/http/errors.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const logLines: string[] = [];
let app: App;
let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), {
    database: testDatabase.database,
    logStream: { write: (line) => void logLines.push(line) },
  });
  // Throwaway routes that exercise the error handler the real routes share.
  app.post(
    '/test/echo',
    {
      schema: {
        body: z.strictObject({ title: z.string().min(1), nested: z.strictObject({ count: z.number().int() }).optional() }),
        querystring: z.strictObject({ flag: z.enum(['yes', 'no']).optional() }),
      },
    },
    async (request) => request.body,
  );
  app.get('/test/boom', async () => {
    throw new Error('secret internals: SELECT * FROM users');
  });
  app.get('/test/field', async () => {
    throw invalidField('calendar_id', 'is not one of your calendars');
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await testDatabase.drop();
});

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
  const body = response.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  return body;
}

describe('problem documents', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(expectProblem(response, 404)).toMatchObject({ title: 'Not Found', detail: 'No route for GET /api/nothing-here' });
  });

  it('names each invalid field with its path', async () => {
    const response = await app.inject({ method: 'POST', url: '/test/echo', payload: { title: '', nested: { count: 1.5 } } });
    const body = expectProblem(response, 400);
    expect(body).toMatchObject({
      errors: expect.arrayContaining([
        { path: 'title', message: expect.any(String) },
        { path: 'nested.count', message: expect.any(String) },
      ]),
    });
  });

  it('rejects unknown body fields and unknown query parameters by name', async () => {
    const body = expectProblem(await app.inject({ method: 'POST', url: '/test/echo', payload: { title: 'x', titel: 'typo' } }), 400);
    expect(body).toMatchObject({ errors: [{ path: 'titel', message: 'Unknown field' }] });
    const query = expectProblem(await app.inject({ method: 'POST', url: '/test/echo?flg=yes', payload: { title: 'x' } }), 400);
    expect(query).toMatchObject({ errors: [{ path: 'flg', message: 'Unknown query parameter' }] });
  });

  it('turns a field error raised by a handler into a 400 with errors', async () => {
    const body = expectProblem(await app.inject({ method: 'GET', url: '/test/field' }), 400);
    expect(body).toMatchObject({ errors: [{ path: 'calendar_id', message: 'is not one of your calendars' }] });
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"title": ' });
    expectProblem(response, 400);
  });

  it('treats an empty JSON body as no body', async () => {
    const response = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(expectProblem(response, 400)).toMatchObject({ errors: [{ path: 'body' }] });
  });

  it('refuses bodies that are not JSON with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const response = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': type }, payload: 'title=x' });
      expectProblem(response, 415);
    }
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const payload = JSON.stringify({ title: 'x'.repeat(1024 * 1024) });
    expectProblem(await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload }), 413);
  });

  it('accepts a body just under the limit', async () => {
    const payload = JSON.stringify({ title: 'x'.repeat(1024 * 1024 - 100) });
    const response = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(200);
  });

  it('hides internals of a 500 and logs them with the request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/boom', headers: { 'x-request-id': 'trace-me-123' } });
    const body = expectProblem(response, 500);
    expect(response.headers['x-request-id']).toBe('trace-me-123');
    expect(JSON.stringify(body)).not.toMatch(/secret internals|SELECT|at .*\.ts/);
    const logged = logLines.map((line) => JSON.parse(line)).find((entry) => entry.reqId === 'trace-me-123' && entry.level >= 50);
    expect(logged?.err?.message).toBe('secret internals: SELECT * FROM users');
  });

  it('puts x-request-id on every response and replaces unsafe ones', async () => {
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\nforged log line' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('strict input on routes without a querystring or body', () => {
  it('refuses unknown query parameters where a route takes none', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz?verbose=1' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: 'verbose', message: 'Unknown query parameter' }]);
  });
});
