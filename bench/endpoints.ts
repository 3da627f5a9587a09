import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { DB } from '../src/platform/db/schema.ts';
import type { Statement } from './capture-requests.ts';
import { listOccurrences, resolveWindow } from '../src/modules/events/range.ts';
import type { UserClock } from '../src/platform/time/day.ts';
import { listTodos } from '../src/modules/todos/queries.ts';
import { TodoListQuery } from '../src/modules/todos/schemas.ts';
import { buildDashboard } from '../src/modules/dashboard/service.ts';
import { buildUpcoming } from '../src/modules/upcoming/service.ts';
import { listHouseholdReminders } from '../src/modules/vault-reminders/service.ts';

export type BenchEndpoint = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Path on UMBRA; `{todo}`/`{event}`/`{household}` are filled from the seeded data. */
  path: string;
  body?: (i: number) => unknown;
  /**
   * Also measured on the stack floor (bench/stack-floor.ts): the prescribed framework and session
   * plugins with UMBRA's session lookup and the same insert, none of UMBRA's own request work.
   */
  stack?: boolean;
  /** Measured on a UMBRA process of its own started with these settings (the floors are not run). */
  settings?: Record<string, string>;
  /**
   * Also measured on the floor, at the same path: reads run the statements of UMBRA's query
   * functions (`floorEndpoints`), writes replay the statements UMBRA sent for one such request
   * (bench/capture-requests.ts) with the request's title.
   */
  floor: boolean;
  /**
   * Also measured on the exact floor: the session lookup and the floor's statements, a read
   * answered with UMBRA's own body (bench/floor.ts).
   */
  exact?: boolean;
};

/** The title the write endpoints' statements are captured with; the floor puts each request's in its place. */
export const CAPTURE_TITLE = 'floor capture title';

export const MONTH_VIEW = 'GET /api/events (30 days)';
export const MONTH_VIEW_UNCACHED = 'GET /api/events (30 days, answer cache off)';

export const endpoints: BenchEndpoint[] = [
  { name: 'GET /api/todos?completed=false&limit=50', method: 'GET', path: '/api/todos?completed=false&limit=50', floor: true, exact: true },
  { name: MONTH_VIEW, method: 'GET', path: '/api/events', floor: true, exact: true },
  // The same month on a server that keeps no answers: every request builds and serializes its
  // page (what a month view costs the first time, or after any change to what it shows).
  { name: MONTH_VIEW_UNCACHED, method: 'GET', path: '/api/events', settings: { ANSWER_CACHE_BYTES: '0' }, floor: false },
  // The same month as a calendar grid asks for it (README "Partial responses").
  { name: 'GET /api/events (30 days, grid fields)', method: 'GET', path: '/api/events?fields=id,title,start_at,end_at,all_day', floor: false },
  { name: 'GET /api/dashboard', method: 'GET', path: '/api/dashboard', floor: true, exact: true },
  { name: 'GET /api/upcoming?days=7', method: 'GET', path: '/api/upcoming?days=7', floor: true, exact: true },
  { name: 'GET /api/households/{hid}/reminders', method: 'GET', path: '/api/households/{household}/reminders', floor: false },
  { name: 'GET /api/households/{hid}/dashboard', method: 'GET', path: '/api/households/{household}/dashboard', floor: false },
  { name: 'POST /api/todos', method: 'POST', path: '/api/todos', body: (i) => ({ title: `bench todo ${i}`, priority: 'medium' }), floor: true, exact: true, stack: true },
  { name: 'PATCH /api/todos/{id}', method: 'PATCH', path: '/api/todos/{todo}', body: (i) => ({ title: `renamed ${i}` }), floor: true, exact: true },
  { name: 'PATCH /api/events/{id}', method: 'PATCH', path: '/api/events/{event}', body: (i) => ({ title: `renamed ${i}` }), floor: true, exact: true },
];

/**
 * What the floor runs for each read endpoint: the statements of UMBRA's own query functions, as
 * the route handlers call them, captured once. The user's clock comes with UMBRA's session
 * lookup, so it is read once here, not replayed.
 */
export const floorEndpoints: Array<{ path: string; run: (db: Kysely<DB>, userId: string, clock: UserClock) => Promise<unknown> }> = [
  {
    path: '/api/todos?completed=false&limit=50',
    run: (db, userId) => listTodos(db, userId, TodoListQuery.parse({ completed: 'false', limit: '50' })),
  },
  {
    path: '/api/events',
    run: async (db, userId, clock) => listOccurrences(db, userId, resolveWindow({}, clock.timezone), {}, { limit: 2500 }),
  },
  {
    path: '/api/dashboard',
    run: async (db, userId, clock) => buildDashboard(db, userId, clock),
  },
  {
    path: '/api/upcoming?days=7',
    run: async (db, userId, clock) => buildUpcoming(db, userId, clock, 7),
  },
  {
    // Not loaded on the floor (its path names the household); captured for its plan.
    path: '/api/households/{hid}/reminders',
    run: async (db, userId, clock) => {
      const settings = await db.selectFrom('user_settings').select('active_household_id').where('user_id', '=', userId).executeTakeFirstOrThrow();
      if (settings.active_household_id === null) return [];
      return listHouseholdReminders(db, settings.active_household_id, clock, {});
    },
  },
];


/**
 * The SQL each floor endpoint runs, by path: its query functions run once against a Kysely that
 * logs every statement. The floor replays these; the bench EXPLAINs them.
 */
export async function captureStatements(pool: pg.Pool, userId: string): Promise<Map<string, Statement[]>> {
  const captured: Statement[] = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') captured.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  const clock = await sql<UserClock>`select timezone, now() as now from user_settings where user_id = ${userId}`.execute(db);
  const userClock = clock.rows[0] ?? { timezone: 'UTC', now: new Date() };
  const routes = new Map<string, Statement[]>();
  for (const endpoint of floorEndpoints) {
    captured.length = 0;
    await endpoint.run(db, userId, userClock);
    routes.set(endpoint.path, [...captured]);
  }
  return routes;
}
