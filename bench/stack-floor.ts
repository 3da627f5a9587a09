// The stack floor for POST /api/todos: fastify with the plugins the stack prescribes and UMBRA
// registers on every /api request (helmet, @fastify/cookie, @fastify/session on UMBRA's own
// session store, so the same session lookup), and one route that inserts the todo with Kysely
// and answers the row through a fast-json-stringify schema. None of UMBRA's own request work:
// no problem handler, request ids, CSRF or CORS, Zod validation, CRUD kit, audit or jobs.
// Started by bench/run.ts with DATABASE_URL, PORT and SESSION_SECRET (UMBRA's: its cookie opens a session here).
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import session from '@fastify/session';
import Fastify from 'fastify';
import { SESSION_COOKIE } from '../src/modules/auth/plugin.ts';
import { createSessionStore } from '../src/modules/auth/session-store.ts';
import { TODO_COLUMNS } from '../src/platform/db/columns.ts';
import { createPostgresDatabase } from '../src/platform/db/create-db.ts';

const { db } = createPostgresDatabase(process.env.DATABASE_URL ?? '');
const app = Fastify();
await app.register(helmet, { global: true });
await app.register(cookie);
await app.register(session, {
  secret: process.env.SESSION_SECRET ?? '',
  cookieName: SESSION_COOKIE,
  store: createSessionStore(db),
  saveUninitialized: false,
  rolling: false,
  cookie: { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 30 * 24 * 3600 * 1000, secure: false },
});
const row = {
  type: 'object',
  properties: Object.fromEntries(
    TODO_COLUMNS.map((column) => [column, column.endsWith('_at') ? { type: ['string', 'null'], format: 'date-time' } : { type: ['string', 'number', 'boolean', 'null'] }]),
  ),
} as const;
app.post<{ Body: { title: string; priority: 'low' | 'medium' | 'high' } }>('/api/todos', { schema: { response: { 201: row } } }, async (request, reply) => {
  const userId = request.session.get('userId');
  if (typeof userId !== 'string') return reply.code(401).send();
  const todo = await db
    .insertInto('todos')
    .values({ user_id: userId, title: request.body.title, priority: request.body.priority })
    .returning(TODO_COLUMNS)
    .executeTakeFirstOrThrow();
  return reply.code(201).send(todo);
});
await app.listen({ port: Number(process.env.PORT ?? 3998), host: '127.0.0.1' });
