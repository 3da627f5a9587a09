// The floor: a minimal server (node:http + pg, no auth, no validation, no schemas) that runs the
// same SQL as UMBRA. Read statements are captured once by running UMBRA's own query functions
// against a logging Kysely; write statements by sending UMBRA (built in this process) one such
// request (bench/capture-requests.ts). Both are replayed verbatim on every request, a write's with
// the request's title in place of the captured one, on one client in the order UMBRA sent them.
//
// `/exact<path>` is the floor that sends the same statements and the same bytes as UMBRA: the
// session lookup first (with the capture's session id), then the endpoint's statements, and a
// read answers with UMBRA's own body for that path (a file in BENCH_BODIES, written by
// bench/run.ts). What is left between it and UMBRA is our own CPU.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { typeParsers } from '../src/platform/db/create-db.ts';
import { captureRequests, type Statement } from './capture-requests.ts';
import { CAPTURE_TITLE, captureStatements, endpoints } from './endpoints.ts';

const databaseUrl = process.env.DATABASE_URL ?? '';
const userId = process.env.BENCH_USER_ID ?? '';
const bodies = process.env.BENCH_BODIES ?? '';
const port = Number(process.env.PORT ?? 0);
const fill = (path: string) => path.replace('{todo}', process.env.BENCH_TODO_ID ?? '').replace('{event}', process.env.BENCH_EVENT_ID ?? '');

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, types: typeParsers });
const reads = await captureStatements(pool, userId);
const writeEndpoints = endpoints.filter((endpoint) => endpoint.floor && endpoint.method !== 'GET');
const captured = await captureRequests(
  databaseUrl,
  { email: process.env.BENCH_EMAIL ?? '', password: process.env.BENCH_PASSWORD ?? '' },
  writeEndpoints.map((endpoint) => {
    const body = endpoint.body?.(0);
    return { method: endpoint.method === 'POST' ? 'POST' : 'PATCH', path: fill(endpoint.path), body: { ...(typeof body === 'object' ? body : {}), title: CAPTURE_TITLE } };
  }),
);
const writes = new Map<string, Statement[]>();
let sessionLookup: Statement | undefined;
writeEndpoints.forEach((endpoint, index) => {
  const request = captured[index];
  if (!request || request.status >= 300) throw new Error(`floor: capturing ${endpoint.name} answered ${request?.status}: ${request?.body}`);
  writes.set(`${endpoint.method} ${fill(endpoint.path)}`, request.statements);
  sessionLookup ??= request.session;
});
if (!sessionLookup) throw new Error('floor: no session lookup was captured');
const session = sessionLookup;

const umbraBodies = new Map<string, Buffer>();
async function bodyOf(path: string): Promise<Buffer> {
  let body = umbraBodies.get(path);
  if (!body) {
    body = await readFile(join(bodies, encodeURIComponent(path)));
    umbraBodies.set(path, body);
  }
  return body;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function titleOf(text: string): string {
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && 'title' in parsed && typeof parsed.title === 'string' ? parsed.title : '';
}

const withTitle = (parameters: readonly unknown[], title: string) =>
  parameters.map((value) => (typeof value === 'string' && value.includes(CAPTURE_TITLE) ? value.split(CAPTURE_TITLE).join(title) : value));

async function replay(statements: Statement[], title: string, exact: boolean): Promise<unknown[]> {
  if (exact) await pool.query(session.sql, [...session.parameters]);
  const client = await pool.connect();
  try {
    const rows: unknown[] = [];
    for (const statement of statements) rows.push((await client.query(statement.sql, withTitle(statement.parameters, title))).rows);
    return rows;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '';
  const exact = url.startsWith('/exact/');
  const path = exact ? url.slice('/exact'.length) : url;
  const write = writes.get(`${request.method} ${path}`);
  const read = request.method === 'GET' ? reads.get(path) : undefined;
  if (!write && !read) {
    response.writeHead(404).end();
    return;
  }
  try {
    if (write) {
      const body = JSON.stringify(await replay(write, titleOf(await readBody(request)), exact));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (exact) await pool.query(session.sql, [...session.parameters]);
    const results = await Promise.all((read ?? []).map((statement) => pool.query<Record<string, unknown>>(statement.sql, [...statement.parameters])));
    const body = exact ? await bodyOf(path) : JSON.stringify(results.map((result) => result.rows));
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
}

const server = createServer((request, response) => void answer(request, response));
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor listening on ${typeof address === 'object' && address ? address.port : port}`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
