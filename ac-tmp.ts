import autocannon from 'autocannon';
import { startProcess, signIn } from './bench/processes.ts';
const url = process.argv[2]!;
const umbra = await startProcess('umbra', [...(process.argv[3] ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cpuprof2'] : []), 'dist/server.js'], { DATABASE_URL: url, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'warn' });
const cookie = await signIn(umbra.baseUrl, 'bench@umbra.test', 'bench password 1');
for (const path of ['/api/events', '/api/todos?completed=false&limit=50']) {
  const r = await autocannon({ url: `${umbra.baseUrl}${path}`, connections: 8, duration: 5, headers: { cookie } });
  console.log(path, 'req/s', r.requests.average, 'p50', r.latency.p50, 'p99', r.latency.p99, 'non2xx', r.non2xx);
}
await umbra.stop();
