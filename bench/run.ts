// npm run bench [-- --scale 10] [--duration 10] [--connections 32] [--only <name>] [--no-growth] [--vault-items 2000]
// npm run bench -- --only files: only the file bench (bench/files.ts)
//
// Seeds a disposable PostgreSQL database with deterministic data, starts UMBRA (the compiled
// build, as `npm start` runs it) and the floor (bench/floor.ts: node:http + pg running the same
// SQL), loads each endpoint with autocannon, and prints UMBRA's figures next to the floor's.
// Then the growth check: the month view on a second data set 10x the size (or a tenth, when the
// run is at scale 10), same build, same load, and the ratio of the two p50s.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { z } from 'zod';
import { createPostgresDatabase } from '../src/platform/db/create-db.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { adminQuery, databaseUrl } from '../tests/helpers/postgres-admin.ts';
import { type BenchEndpoint, endpoints, MONTH_VIEW, MONTH_VIEW_UNCACHED } from './endpoints.ts';
import { explainPlans } from './explain.ts';
import { measureFiles, printFiles } from './files.ts';
import { type Figures, type Growth, type Measurement, printReport } from './report.ts';
import { measureRuleChecks, printRuleChecks, type RuleRound } from './rule-checks.ts';
import { type Seeded, seedAll } from './seed.ts';
import { postgresCpu, postgresCpuSince, signIn, startProcess, type Started } from './processes.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    'no-growth': { type: 'boolean', default: false },
    // Vault items in the bench user's active household (0: an empty vault).
    'vault-items': { type: 'string', default: '2000' },
    // Keep the seeded database (and print its URL) for profiling instead of dropping it.
    keep: { type: 'boolean', default: false },
    // Only seed (implies keep).
    'seed-only': { type: 'boolean', default: false },
  },
});
const scale = Number(args.scale);
const duration = Number(args.duration);
const connections = Number(args.connections);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type BenchDatabase = { url: string; seeded: Seeded; drop: () => Promise<void> };

async function seedDatabase(atScale: number): Promise<BenchDatabase> {
  const name = `umbra_bench_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(adminUrl, name);
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const drop = async () => {
    if (args.keep || args['seed-only']) console.log(`kept ${url}`);
    else await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    const database = createPostgresDatabase(url);
    try {
      await migrateToLatest(database.db);
      const started = Date.now();
      const seeded = await seedAll(database.db, atScale, Number(args['vault-items']));
      console.log(`seeded scale ${atScale} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { url, seeded, drop };
    } finally {
      await database.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}

/** The node arguments of `npm start` (package.json), so the bench runs what users run. */
function startArguments(): string[] {
  const manifest: unknown = JSON.parse(readFileSync('package.json', 'utf8'));
  const start = z.object({ scripts: z.object({ start: z.string().startsWith('node ') }) }).parse(manifest).scripts.start;
  return start.split(/\s+/).slice(1);
}

function startUmbra(url: string, env: Record<string, string> = {}): Promise<Started> {
  return startProcess('umbra', startArguments(), {
    ...env,
    DATABASE_URL: url,
    NODE_ENV: 'production',
    SESSION_SECRET: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    VAULT_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
  });
}

async function load(target: Started, endpoint: BenchEndpoint, cookie: string | undefined, path: string): Promise<Figures> {
  let i = 0;
  const serverBefore = target.cpuSeconds();
  const postgresBefore = postgresCpu();
  const result = await autocannon({
    url: `${target.baseUrl}${path}`,
    method: endpoint.method,
    connections,
    duration,
    headers: { ...(cookie ? { cookie } : {}), ...(endpoint.body ? { 'content-type': 'application/json' } : {}) },
    ...(endpoint.body ? { requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(endpoint.body?.(i++)) }) }] } : {}),
  });
  const msPerRequest = (seconds: number) => (Math.max(0, seconds) * 1000) / Math.max(1, result.requests.total);
  return {
    requestsPerSecond: result.requests.average,
    serverCpuMs: msPerRequest(target.cpuSeconds() - serverBefore),
    postgresCpuMs: msPerRequest(postgresCpuSince(postgresBefore)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const pathOf = (endpoint: BenchEndpoint, seeded: Seeded) =>
  endpoint.path.replace('{event}', seeded.eventId).replace('{todo}', seeded.todoId).replace('{household}', seeded.householdId);

const RULE_CHECKS = 'rule checks';

/** An endpoint on a UMBRA process of its own, started with other settings (and stopped after). */
async function measureWithSettings(bench: BenchDatabase, endpoint: BenchEndpoint, settings: Record<string, string>, path: string, started: Started[]) {
  const other = await startUmbra(bench.url, settings);
  started.push(other);
  try {
    const cookie = await signIn(other.baseUrl, bench.seeded.benchEmail, bench.seeded.benchPassword);
    const umbra = await load(other, endpoint, cookie, path);
    return { umbra, floor: undefined, exact: undefined, rssMb: other.peakRssMb() };
  } finally {
    await other.stop();
  }
}

async function measureAll(bench: BenchDatabase, started: Started[]): Promise<{ measurements: Measurement[]; ruleRounds: RuleRound[] }> {
  // One session secret for UMBRA and the stack floor: UMBRA's cookie opens the session there too.
  const sessionSecret = randomBytes(32).toString('hex');
  const umbra = await startUmbra(bench.url, { SESSION_SECRET: sessionSecret });
  started.push(umbra);
  const stackFloor = await startProcess('stack floor', ['--import', 'tsx', '--max-old-space-size=160', 'bench/stack-floor.ts'], {
    DATABASE_URL: bench.url,
    SESSION_SECRET: sessionSecret,
  });
  started.push(stackFloor);
  const { seeded } = bench;
  const bodies = mkdtempSync(join(tmpdir(), 'umbra-bench-bodies-'));
  const floor = await startProcess('floor', ['--import', 'tsx', 'bench/floor.ts'], {
    DATABASE_URL: bench.url,
    BENCH_USER_ID: seeded.benchUserId,
    BENCH_EMAIL: seeded.benchEmail,
    BENCH_PASSWORD: seeded.benchPassword,
    BENCH_TODO_ID: seeded.todoId,
    BENCH_EVENT_ID: seeded.eventId,
    BENCH_BODIES: bodies,
  });
  started.push(floor);
  const cookie = await signIn(umbra.baseUrl, seeded.benchEmail, seeded.benchPassword);
  const measurements: Measurement[] = [];
  try {
    // Reads first: the writes add rows (POST /api/todos adds thousands of todos).
    for (const endpoint of endpoints.filter((candidate) => !args.only || candidate.name.includes(args.only))) {
      const path = pathOf(endpoint, seeded);
      if (endpoint.settings) {
        measurements.push({ name: endpoint.name, ...(await measureWithSettings(bench, endpoint, endpoint.settings, path, started)) });
        console.log(`measured ${endpoint.name}`);
        continue;
      }
      umbra.resetPeakRss();
      const ours = await load(umbra, endpoint, cookie, path);
      const rssMb = umbra.peakRssMb();
      const floorFigures = endpoint.floor ? await load(floor, endpoint, undefined, path) : undefined;
      let exact: Figures | undefined;
      if (endpoint.exact) {
        if (endpoint.method === 'GET') {
          // UMBRA's body for this path as it is now, sent by the floor after the same statements.
          const body = await fetch(`${umbra.baseUrl}${path}`, { headers: { cookie } }).then((response) => response.arrayBuffer());
          writeFileSync(join(bodies, encodeURIComponent(path)), Buffer.from(body));
        }
        exact = await load(floor, endpoint, undefined, `/exact${path}`);
      }
      const stack = endpoint.stack ? await load(stackFloor, endpoint, cookie, path) : undefined;
      measurements.push({ name: endpoint.name, umbra: ours, floor: floorFigures, exact, stack, rssMb });
      console.log(`measured ${endpoint.name}`);
    }
  } finally {
    rmSync(bodies, { recursive: true, force: true });
  }
  const ruleRounds = !args.only || RULE_CHECKS.includes(args.only) ? await measureRuleChecks(umbra.baseUrl, cookie) : [];
  await umbra.stop();
  await floor.stop();
  await stackFloor.stop();
  return { measurements, ruleRounds };
}

/** The month view on a data set of another scale, for the growth target. */
async function monthViewAt(atScale: number, started: Started[]): Promise<Figures> {
  const other = await seedDatabase(atScale);
  try {
    const umbra = await startUmbra(other.url);
    started.push(umbra);
    const cookie = await signIn(umbra.baseUrl, other.seeded.benchEmail, other.seeded.benchPassword);
    const monthView = endpoints.find((endpoint) => endpoint.name === MONTH_VIEW);
    if (!monthView) throw new Error('the month view is not among the bench endpoints');
    const figures = await load(umbra, monthView, cookie, monthView.path);
    await umbra.stop();
    return figures;
  } finally {
    await other.drop();
  }
}

const FILES = 'files';

async function fileBench(started: Started[]) {
  const start = async (env: Record<string, string>) => {
    const umbra = await startUmbra(env.DATABASE_URL ?? '', env);
    started.push(umbra);
    return umbra;
  };
  printFiles(await measureFiles(start, adminUrl));
}

async function main() {
  const started: Started[] = [];
  if (args.only === FILES) {
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    try {
      await fileBench(started);
    } finally {
      for (const process of started) await process.stop();
    }
    return;
  }
  const bench = await seedDatabase(scale);
  try {
    if (args['seed-only']) {
      console.log(`seeded database: ${bench.url}\nbench user: ${bench.seeded.benchEmail} / ${bench.seeded.benchPassword}`);
      return;
    }
    // The plans on the data as seeded, before the write endpoints add to it.
    const plans = await explainPlans(bench.url, bench.seeded.benchUserId);
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    const { measurements, ruleRounds } = await measureAll(bench, started);

    let growth: Growth | undefined;
    const monthView = measurements.find((measurement) => measurement.name === MONTH_VIEW);
    const otherScale = scale === 1 ? 10 : scale === 10 ? 1 : undefined;
    if (!args['no-growth'] && monthView && otherScale !== undefined) {
      const other = await monthViewAt(otherScale, started);
      const [small, large] = scale === 1 ? [monthView.umbra, other] : [other, monthView.umbra];
      growth = { small, large };
    }
    console.log(`\nvault: ${args['vault-items']} items in the bench user's active household`);
    printReport({ scale, duration, connections, measurements, growth, monthView: { cached: MONTH_VIEW, uncached: MONTH_VIEW_UNCACHED } });
    if (ruleRounds.length > 0) printRuleChecks(ruleRounds);
    if (!args.only) await fileBench(started);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the read endpoints' statements, scale ${scale}:\n`);
    console.log(plans);
  } finally {
    for (const process of started) await process.stop();
    await bench.drop();
  }
}

await main();
