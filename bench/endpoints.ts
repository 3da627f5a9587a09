import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { listTodos } from '../src/queries/todos.ts';
import { TodoListQuery } from '../src/schemas/todos.ts';

export type BenchEndpoint = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Path on UMBRA; `{todo}`/`{event}` are filled from the seeded data. */
  path: string;
  body?: (i: number) => unknown;
  /** Read endpoints are also measured on the floor, at the same path. */
  floor: boolean;
};

export const endpoints: BenchEndpoint[] = [
  { name: 'GET /api/todos?completed=false&limit=50', method: 'GET', path: '/api/todos?completed=false&limit=50', floor: true },
  { name: 'POST /api/todos', method: 'POST', path: '/api/todos', body: (i) => ({ title: `bench todo ${i}`, priority: 'medium' }), floor: false },
];

/** What the floor runs for each read endpoint: UMBRA's own query functions, captured once. */
export const floorEndpoints: Array<{ path: string; run: (db: Kysely<DB>, userId: string) => Promise<unknown> }> = [
  {
    path: '/api/todos?completed=false&limit=50',
    run: (db, userId) => listTodos(db, userId, TodoListQuery.parse({ completed: 'false', limit: '50' })),
  },
];
