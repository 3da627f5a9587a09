// The statements and round trips of each write, as PostgreSQL receives them (BEGIN and COMMIT
// included): every query of every pooled client is recorded. Usage, on a database
// `npm run bench -- --seed-only` printed: DATABASE_URL=postgres://... node --import tsx bench/count-statements.ts
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { typeParsers } from '../src/platform/db/create-db.ts';
import type { DB } from '../src/platform/db/schema.ts';

const url = process.env.DATABASE_URL ?? '';
const sent: string[] = [];
function textOf(config: unknown): string {
  return typeof config === 'object' && config !== null && 'text' in config && typeof config.text === 'string' ? config.text : '?';
}
const pool = new pg.Pool({ connectionString: url, types: typeParsers, max: 4 });
pool.on('connect', (client) => {
  // A proxy keeps pg's overloads as they are; only the text is recorded.
  client.query = new Proxy(client.query.bind(client), {
    apply(target, self, args: unknown[]) {
      const first = args[0];
      sent.push(typeof first === 'string' ? first : textOf(first));
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
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@umbra.test', password: 'bench password 1' } });
const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
const headers = { cookie };

async function record(label: string, run: () => Promise<{ statusCode: number; body: string }>) {
  sent.length = 0;
  const response = await run();
  console.log(`${label}: ${response.statusCode}, ${sent.length} statements`);
  for (const text of sent) console.log(`  ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
  return response;
}

const created = await record('POST /api/todos', () => app.inject({ method: 'POST', url: '/api/todos', headers, payload: { title: 'count me', priority: 'medium' } }));
const { id } = JSON.parse(created.body) as { id: string };
await record('PATCH /api/todos/{id}', () => app.inject({ method: 'PATCH', url: `/api/todos/${id}`, headers, payload: { title: 'renamed' } }));
await record('PATCH /api/todos/{id}/toggle', () => app.inject({ method: 'PATCH', url: `/api/todos/${id}/toggle`, headers }));
await record('DELETE /api/todos/{id}', () => app.inject({ method: 'DELETE', url: `/api/todos/${id}`, headers }));
const { id: eventId } = await db.selectFrom('events').select('id').where('rrule', 'is not', null).limit(1).executeTakeFirstOrThrow();
await record('PATCH /api/events/{id} (a series, title only)', () => app.inject({ method: 'PATCH', url: `/api/events/${eventId}`, headers, payload: { title: 'renamed series' } }));
await app.close();
