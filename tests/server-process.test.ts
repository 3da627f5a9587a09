import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PASSWORD, uniqueEmail } from './helpers/users.ts';
import { serverDatabaseEnv, startServerProcess, type ServerProcess } from './helpers/server-process.ts';

describe('the server process', () => {
  let server: ServerProcess;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const database = await serverDatabaseEnv();
    cleanup = database.cleanup;
    server = await startServerProcess(database.env);
  });
  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await cleanup();
  });

  it('serves health, readiness and docs with no configuration beyond its database', async () => {
    for (const path of ['/healthz', '/readyz', '/docs/']) {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
    }
  });

  it('finishes an in-flight request on SIGTERM, refuses new connections, then exits 0', async () => {
    const url = new URL('/test/slow-upload', server.baseUrl);
    // A request whose body arrives slowly is in flight for as long as we like.
    const inFlight = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      inFlight.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      inFlight.on('error', reject);
    });
    inFlight.write('{"started": ');
    await new Promise((resolve) => setTimeout(resolve, 200));

    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.child.exitCode).toBeNull();
    await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();

    inFlight.end('true}');
    const finished = await response;
    expect(finished.status).toBe(404);
    expect(JSON.parse(finished.body)).toMatchObject({ status: 404 });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
  });
});

// Two processes on one PGlite data directory are impossible by design (it is an in-process
// database), so sharing sessions between processes is a PostgreSQL deployment's property.
describe.runIf(inject('testDatabase').kind === 'postgres')('two server processes on one database', () => {
  const servers: ServerProcess[] = [];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const database = await serverDatabaseEnv();
    cleanup = database.cleanup;
    servers.push(await startServerProcess(database.env), await startServerProcess(database.env));
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await cleanup();
  });

  it('share sessions: signed in on one, usable and ended on the other', async () => {
    const [first, second] = servers;
    if (!first || !second) throw new Error('servers did not start');
    const email = uniqueEmail('twin');
    const registered = await fetch(`${first.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const cookie = (registered.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const onSecond = await fetch(`${second.baseUrl}/api/settings`, { headers: { cookie } });
    expect(onSecond.status).toBe(200);
    const settings: unknown = await onSecond.json();
    expect(settings).toMatchObject({ email });
    const logout = await fetch(`${second.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${first.baseUrl}/api/settings`, { headers: { cookie } })).status).toBe(401);
  });
});
