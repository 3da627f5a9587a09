import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

// Issue 20, items 8 and 10: requests that go wrong below the routes. Each is sent as raw bytes
// to a real port, since Node's HTTP parser and Fastify's router answer some of them before any
// hook runs, and app.inject never reaches those paths.

const logLines: string[] = [];
let app: App;
let testDatabase: TestDatabase;
let port: number;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  app = await buildApp(testConfig({ LOG_LEVEL: 'debug', CORS_ORIGINS: 'https://app.example.com' }), {
    database: testDatabase.database,
    logStream: { write: (line) => void logLines.push(line) },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await app.close();
  await testDatabase.drop();
});

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** Writes the bytes, optionally hangs up, and reads what the server answers until it closes. */
function sendRaw(bytes: string, options: { hangUp?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes, () => {
      if (options.hangUp) socket.destroy();
    });
  });
}

function parse(raw: string): RawResponse {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

function expectOurProblem(response: RawResponse, status: number) {
  expect(response.status, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({ type: 'about:blank', status, title: expect.any(String), detail: expect.any(String), code: expect.stringMatching(/^UMBRA_/) });
  return body;
}

const request = (lines: string[]) => `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`;

describe('problem documents below the routes', () => {
  it('answers a URL Fastify cannot decode with a problem document and our code', async () => {
    const response = parse(await sendRaw(request(['GET /api/todos/%ff HTTP/1.1', 'Host: localhost'])));
    expectOurProblem(response, 400);
  });

  it("answers what Node's parser refuses (headers over 16 KB, a CR inside a header) with a minimal problem document", async () => {
    const huge = parse(await sendRaw(request(['GET /healthz HTTP/1.1', 'Host: localhost', `X-Big: ${'a'.repeat(17 * 1024)}`])));
    expectOurProblem(huge, 431);
    const broken = parse(await sendRaw(request(['GET /healthz HTTP/1.1', 'Host: localhost', 'X-Broken: a\rb'])));
    expectOurProblem(broken, 400);
  });

  it('answers an OPTIONS that is not a CORS preflight with a problem document', async () => {
    const response = parse(await sendRaw(request(['OPTIONS /api/todos HTTP/1.1', 'Host: localhost'])));
    expectOurProblem(response, 400);
    const preflight = parse(
      await sendRaw(request(['OPTIONS /api/todos HTTP/1.1', 'Host: localhost', 'Origin: https://app.example.com', 'Access-Control-Request-Method: POST'])),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('never shows a client an FST_ERR code', async () => {
    for (const [headers, payload] of [
      [{ 'content-type': 'text/plain' }, 'hello'],
      [{ 'content-type': 'application/json' }, '{"broken": '],
      [{ 'content-type': 'application/json' }, JSON.stringify({ title: 'x'.repeat(1024 * 1024) })],
    ] as const) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', headers, payload });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.json().code, response.body).toMatch(/^UMBRA_/);
    }
  });
});

describe('a client that hangs up mid-body', () => {
  it('is logged as an aborted request, never as the database being unavailable', async () => {
    const requestId = 'hang-up-mid-body';
    const head = ['POST /api/auth/login HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 100', `X-Request-Id: ${requestId}`];
    await sendRaw(`${head.join('\r\n')}\r\n\r\n{"email":"`, { hangUp: true });
    // The server notices the hang-up on its own schedule; wait for the line it logs.
    let entries: Array<{ reqId?: string; level: number; msg?: string }> = [];
    for (let attempt = 0; attempt < 100 && !entries.some((entry) => entry.msg?.includes('closed the connection')); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      entries = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.reqId === requestId);
    }
    expect(logLines.join('\n')).not.toContain('database unavailable');
    expect(entries.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(entries.map((entry) => entry.msg)).toContain('the client closed the connection before its request body arrived');
    // The server still answers.
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
