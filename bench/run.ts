// npm run bench [-- --scale 10] [--duration 10] [--connections 32]
//
// Seeds a disposable PostgreSQL database with deterministic data, starts UMBRA (src/server.ts,
// NODE_ENV=production) and the floor (bench/floor.ts: node:http + pg running the same SQL), loads
// each endpoint with autocannon, and prints UMBRA's figures next to the floor's.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createPostgresDatabase } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { adminQuery, databaseUrl } from '../tests/helpers/postgres-admin.ts';
import { endpoints } from './endpoints.ts';
import { explainPlans } from './explain.ts';
import { type Measurement, printReport } from './report.ts';
import { seedAll } from './seed.ts';
import { signIn, startProcess, type Started } from './processes.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
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
const name = `umbra_bench_${randomBytes(4).toString('hex')}`;
const url = databaseUrl(adminUrl, name);

async function load(target: string, endpoint: (typeof endpoints)[number], cookie: string | undefined, path: string) {
  let i = 0;
  const result = await autocannon({
    url: `${target}${path}`,
    method: endpoint.method,
    connections,
    duration,
    headers: { ...(cookie ? { cookie } : {}), ...(endpoint.body ? { 'content-type': 'application/json' } : {}) },
    ...(endpoint.body ? { requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(endpoint.body?.(i++)) }) }] } : {}),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function main() {
  const started: Started[] = [];
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  try {
    const database = createPostgresDatabase(url);
    await migrateToLatest(database.db);
    const seedStart = Date.now();
    const seeded = await seedAll(database.db, scale);
    console.log(`seeded scale ${scale} in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    if (args['seed-only']) {
      console.log(`seeded database: ${url}\nbench user: ${seeded.benchEmail} / ${seeded.benchPassword}`);
      await database.close();
      return;
    }

    // UMBRA as it runs in production: the compiled build, NODE_ENV=production.
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    const umbra = await startProcess('umbra', ['--enable-source-maps', 'dist/server.js'], {
      DATABASE_URL: url,
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    });
    started.push(umbra);
    const floor = await startProcess('floor', ['--import', 'tsx', 'bench/floor.ts'], { DATABASE_URL: url, BENCH_USER_ID: seeded.benchUserId });
    started.push(floor);
    const cookie = await signIn(umbra.baseUrl, seeded.benchEmail, seeded.benchPassword);

    const measurements: Measurement[] = [];
    for (const endpoint of endpoints.filter((candidate) => !args.only || candidate.name.includes(args.only))) {
      const path = endpoint.path.replace('{event}', seeded.eventId).replace('{todo}', seeded.todoId);
      umbra.resetPeakRss();
      const ours = await load(umbra.baseUrl, endpoint, cookie, path);
      const floorResult = endpoint.floor ? await load(floor.baseUrl, endpoint, undefined, path) : undefined;
      measurements.push({ name: endpoint.name, umbra: ours, floor: floorResult, rssMb: umbra.peakRssMb() });
      console.log(`measured ${endpoint.name}`);
    }
    printReport({ scale, duration, connections, measurements });
    console.log(await explainPlans(url, seeded.benchUserId));
    await database.close();
  } finally {
    for (const process of started) await process.stop();
    if (args.keep || args['seed-only']) console.log(`kept ${url}`);
    else await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

await main();
