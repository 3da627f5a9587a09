import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { accessOf } from '../src/events/access.ts';
import { OWNER_ACCESS } from '../src/events/present.ts';
import { expandCandidates, resolveWindow } from '../src/events/range.ts';
import { listInvitedSeriesInRange, listOwnedSeriesInRange } from '../src/queries/events.ts';
import { findUserTimezone } from '../src/queries/settings.ts';
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
  { name: 'GET /api/events (30 days)', method: 'GET', path: '/api/events', floor: true },
  { name: 'POST /api/todos', method: 'POST', path: '/api/todos', body: (i) => ({ title: `bench todo ${i}`, priority: 'medium' }), floor: false },
  { name: 'PATCH /api/events/{id}', method: 'PATCH', path: '/api/events/{event}', body: (i) => ({ title: `renamed ${i}` }), floor: false },
];

/** What the floor runs for each read endpoint: UMBRA's own query functions, captured once. */
export const floorEndpoints: Array<{ path: string; run: (db: Kysely<DB>, userId: string) => Promise<unknown> }> = [
  {
    path: '/api/todos?completed=false&limit=50',
    run: (db, userId) => listTodos(db, userId, TodoListQuery.parse({ completed: 'false', limit: '50' })),
  },
  {
    // The statements of GET /api/events with its defaults (src/routes/events.ts).
    path: '/api/events',
    run: async (db, userId) => {
      const window = resolveWindow({}, await findUserTimezone(db, userId));
      const owned = await listOwnedSeriesInRange(db, userId, { ...window, calendarId: undefined });
      const invited = await listInvitedSeriesInRange(db, userId, { ...window, includeDeclined: false });
      const candidates = [...owned.map((row) => ({ ...row, access: OWNER_ACCESS })), ...invited.map((row) => ({ ...row, access: accessOf(row.relation) }))];
      return expandCandidates(db, candidates, window);
    },
  },
];
