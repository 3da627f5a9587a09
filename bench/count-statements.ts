// The statements and round trips of each write, as PostgreSQL receives them (BEGIN and COMMIT
// included, the session lookup every signed-in request starts with counted too): every query of
// every pooled client is recorded (bench/capture-requests.ts). Usage, on a database
// `npm run bench -- --seed-only` printed: DATABASE_URL=postgres://... node --import tsx bench/count-statements.ts
import pg from 'pg';
import { captureRequests, type CapturedRequest } from './capture-requests.ts';

const url = process.env.DATABASE_URL ?? '';
const credentials = { email: 'bench@umbra.test', password: process.env.BENCH_PASSWORD ?? 'bench password 1' };

const client = new pg.Client({ connectionString: url });
await client.connect();
const ids = await client.query<{ todo: string; event: string }>(
  `select (select t.id from todos t join users u on u.id = t.user_id where u.email = $1 limit 1) as todo,
          (select e.id from events e join calendars c on c.id = e.calendar_id join users u on u.id = c.user_id where u.email = $1 and e.rrule is not null limit 1) as event`,
  [credentials.email],
);
await client.end();
const { todo, event } = ids.rows[0] ?? { todo: '', event: '' };

const requests: Array<CapturedRequest & { label: string }> = [
  { label: 'POST /api/todos', method: 'POST', path: '/api/todos', body: { title: 'count me', priority: 'medium' } },
  { label: 'PATCH /api/todos/{id}', method: 'PATCH', path: `/api/todos/${todo}`, body: { title: 'renamed' } },
  { label: 'PATCH /api/todos/{id}/toggle', method: 'PATCH', path: `/api/todos/${todo}/toggle` },
  { label: 'PATCH /api/events/{id} (a series, title only)', method: 'PATCH', path: `/api/events/${event}`, body: { title: 'renamed series' } },
  { label: 'DELETE /api/todos/{id}', method: 'DELETE', path: `/api/todos/${todo}` },
];
const captured = await captureRequests(url, credentials, requests);
requests.forEach((request, index) => {
  const { status, session, statements } = captured[index] ?? { status: 0, session: undefined, statements: [] };
  const all = session ? [session, ...statements] : statements;
  console.log(`${request.label}: ${status}, ${all.length} statements`);
  for (const { sql } of all) console.log(`  ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
});
