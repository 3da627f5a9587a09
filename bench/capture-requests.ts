// The statements UMBRA sends PostgreSQL for one request, as the pg client receives them (BEGIN
// and COMMIT included): the app is built in this process on a pool that records every query, one
// request of each kind is sent through app.inject, and its statements are kept, the session
// lookup every signed-in request starts with apart (the floor has no sessions; the exact floor
// sends it too). The floor replays them.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { typeParsers } from '../src/platform/db/create-db.ts';
import type { DB } from '../src/platform/db/schema.ts';

export type Statement = { sql: string; parameters: readonly unknown[] };
export type CapturedRequest = { method: 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown };
/** What one request sent: its session lookup (the bench user's session id as its parameter), then its own statements. */
export type Captured = { status: number; body: string; session: Statement | undefined; statements: Statement[] };

function statementOf(args: unknown[]): Statement {
  const [first, second] = args;
  if (typeof first === 'string') return { sql: first, parameters: Array.isArray(second) ? second : [] };
  if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') {
    const values = 'values' in first && Array.isArray(first.values) ? first.values : [];
    return { sql: first.text, parameters: values };
  }
  return { sql: '?', parameters: [] };
}

const isSessionLookup = (statement: Statement) => /^select .* from "sessions"/.test(statement.sql);
// pg-boss polls its queues on the same pool: not the request's.
const isRequestsOwn = (statement: Statement) => !isSessionLookup(statement) && !/\bpgboss\./.test(statement.sql);

/** Runs `requests` one after another as the bench user and returns each one's statements. */
export async function captureRequests(url: string, credentials: { email: string; password: string }, requests: CapturedRequest[]): Promise<Captured[]> {
  const sent: Statement[] = [];
  const pool = new pg.Pool({ connectionString: url, types: typeParsers, max: 4 });
  pool.on('connect', (client) => {
    // A proxy keeps pg's overloads as they are; only the text and values are recorded.
    client.query = new Proxy(client.query.bind(client), {
      apply(target, self, args: unknown[]) {
        sent.push(statementOf(args));
        const result: unknown = Reflect.apply(target, self, args);
        return result;
      },
    });
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const app = await buildApp(
    loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01', VAULT_KEY: 'bench-vault-key-bench-vault-key-0123456789' }),
    { database: { db, kind: 'postgres', close: () => db.destroy() } },
  );
  try {
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: credentials });
    if (login.statusCode !== 200) throw new Error(`capture: sign-in failed: ${login.body}`);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const captured: Captured[] = [];
    for (const request of requests) {
      sent.length = 0;
      const headers = request.body === undefined ? { cookie } : { cookie, 'content-type': 'application/json' };
      const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
      const response = await app.inject({ method: request.method, url: request.path, headers, ...(payload === undefined ? {} : { payload }) });
      captured.push({ status: response.statusCode, body: response.body, session: sent.find(isSessionLookup), statements: sent.filter(isRequestsOwn) });
    }
    return captured;
  } finally {
    await app.close();
  }
}
