import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { registerUser } from './helpers/users.ts';

// Issue 20, item 6: a feed URL that no route matched (`/feeds/<token>` without `.ics`, or
// `.ICS`) was logged with its live token; redaction covered only the feed route. The log is read
// as an operator would read it: every line the app wrote, at the most verbose level.

const logLines: string[] = [];
let app: App;
let testDatabase: TestDatabase;
let token: string;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  app = await buildApp(testConfig({ LOG_LEVEL: 'trace' }), { database: testDatabase.database, logStream: { write: (line) => void logLines.push(line) } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const owner = await registerUser(app);
  const calendarId = (await app.inject({ method: 'GET', url: '/api/calendars', headers: owner.headers })).json().items[0].id;
  const url: string = (await app.inject({ method: 'POST', url: `/api/calendars/${calendarId}/feed`, headers: owner.headers })).json().url;
  token = /\/feeds\/([\w-]{43})\.ics$/.exec(url)?.[1] ?? '';
  expect(token).toHaveLength(43);
});
afterAll(async () => {
  await app.close();
  await testDatabase.drop();
});

/** A request line with an over-long header, which Node's parser refuses before any route. */
function sendOversized(path: string): Promise<void> {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    socket.on('data', () => socket.destroy());
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

describe('tokens in the request log', () => {
  it('never logs a feed token, whatever route answered', async () => {
    const before = logLines.length;
    const paths = [`/feeds/${token}.ics`, `/feeds/${token}`, `/feeds/${token}.ICS`, `/feeds/${token}.ics?refresh=1`, `/FEEDS/${token}.ics`, `/feeds/${token}/x`, `/%66eeds/${token}.ics`, `/feeds/${token}%ff`];
    const statuses = [];
    for (const path of paths) statuses.push((await app.inject({ method: 'GET', url: path })).statusCode);
    // The feed, then 404s and 400s; the router decodes %66 to f, so that one is the feed too.
    expect(statuses).toEqual([200, 404, 404, 400, 404, 404, 200, 400]);
    await sendOversized(`/feeds/${token}.ics`);
    const written = logLines.slice(before);
    expect(written.length).toBeGreaterThan(paths.length);
    for (const line of written) expect(line).not.toContain(token);
    // What is logged still says what was asked for.
    expect(written.some((line) => line.includes('/feeds/[redacted]'))).toBe(true);
  });

  it('never logs an invitation token, on the accept page or the API', async () => {
    const invitation = randomBytes(32).toString('base64url');
    const before = logLines.length;
    for (const path of [`/invitations/accept?token=${invitation}`, `/invitations/accept/${invitation}`, `/api/household-invitations/accept?token=${invitation}`]) {
      await app.inject({ method: 'GET', url: path });
    }
    const written = logLines.slice(before);
    expect(written.length).toBeGreaterThan(0);
    for (const line of written) expect(line).not.toContain(invitation);
    expect(written.some((line) => line.includes('/invitations/accept[redacted]'))).toBe(true);
  });
});
