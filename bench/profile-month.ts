// Where the month view's time goes, in one process: the route through app.inject, and its phases
// (SQL, expansion and shaping, serialization) called directly, interleaved round by round so the
// shared machine's noise hits all of them alike. Usage, on a database `npm run bench -- --seed-only`
// printed: DATABASE_URL=postgres://... node --import tsx bench/profile-month.ts [rounds]
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { accessOf } from '../src/modules/events/access.ts';
import { type Candidate, pageOf } from '../src/modules/events/occurrence-page.ts';
import { listOverridesInRange, type OverrideRow } from '../src/modules/events/override-queries.ts';
import { OWNER_ACCESS } from '../src/modules/events/present.ts';
import { listSeriesInRange } from '../src/modules/events/queries.ts';
import { resolveWindow } from '../src/modules/events/range.ts';
import { OccurrenceList } from '../src/modules/events/schemas.ts';
import { findUserTimezone } from '../src/modules/settings/queries.ts';
import { compileSerializer } from '../src/platform/http/serializer.ts';

const rounds = Number(process.argv[2] ?? 200);
const GRID_FIELDS = 'id,title,start_at,end_at,all_day';

const app = await buildApp(
  loadConfig({
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    VAULT_KEY: 'bench-vault-key-bench-vault-key-0123456789',
  }),
);
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@umbra.test', password: process.env.BENCH_PASSWORD ?? 'bench-password' } });
if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.body}`);
const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
const db = app.db;
const { id: userId } = await db.selectFrom('users').select('id').where('email', '=', 'bench@umbra.test').executeTakeFirstOrThrow();
const serialize = compileSerializer(OccurrenceList);

async function sqlPhase() {
  const window = resolveWindow({}, await findUserTimezone(db, userId));
  const series = await listSeriesInRange(db, userId, { ...window, includeDeclined: false });
  const candidates: Candidate[] = series.map(({ relation, ...row }) => ({ ...row, access: relation ? accessOf(relation) : OWNER_ACCESS }));
  const overrides = await listOverridesInRange(db, candidates.map((candidate) => candidate.event.id), { from: new Date(window.from.getTime() - 86_400_000), to: window.to }, window);
  const overridesOf = new Map<string, OverrideRow[]>();
  for (const row of overrides) overridesOf.set(row.event_id, [...(overridesOf.get(row.event_id) ?? []), row]);
  return { window, candidates, overridesOf };
}

const totals = { route: 0, routeGrid: 0, sql: 0, page: 0, serialize: 0 };
let bytes = { full: 0, grid: 0, items: 0, series: 0 };
const timed = async <T>(key: keyof typeof totals, run: () => Promise<T> | T): Promise<T> => {
  const start = performance.now();
  const result = await run();
  totals[key] += performance.now() - start;
  return result;
};

for (let round = -20; round < rounds; round++) {
  if (round === 0) for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] = 0;
  const full = await timed('route', () => app.inject({ method: 'GET', url: '/api/events', headers: { cookie } }));
  const grid = await timed('routeGrid', () => app.inject({ method: 'GET', url: `/api/events?fields=${GRID_FIELDS}`, headers: { cookie } }));
  const { window, candidates, overridesOf } = await timed('sql', sqlPhase);
  const page = await timed('page', () => pageOf(candidates, overridesOf, window, 2500));
  await timed('serialize', () => serialize({ items: page.items }));
  bytes = { full: full.rawPayload.length, grid: grid.rawPayload.length, items: page.items.length, series: candidates.length };
}

const per = (key: keyof typeof totals) => (totals[key] / rounds).toFixed(2);
console.log(`month view: ${bytes.items} occurrences of ${bytes.series} series, ${rounds} rounds, ms per request (mean)`);
console.log(`route (app.inject, full)          ${per('route')}   ${bytes.full} bytes`);
console.log(`route (app.inject, fields=${GRID_FIELDS}) ${per('routeGrid')}   ${bytes.grid} bytes`);
console.log(`  SQL (3 statements)              ${per('sql')}`);
console.log(`  expansion + shaping (pageOf)    ${per('page')}`);
console.log(`  serialization (full)            ${per('serialize')}`);
await app.close();
