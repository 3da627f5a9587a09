// The month view full and with the calendar-grid field set, 32 requests in flight through app.inject,
// alternating 5 s runs in one process (no network): what partial responses save in our own CPU.
// Usage: DATABASE_URL=<a database from `npm run bench -- --seed-only`> node [--max-old-space-size=160] --import tsx bench/month-fields-load.ts
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
const app = await buildApp(loadConfig({ DATABASE_URL: process.env.DATABASE_URL ?? '', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01', VAULT_KEY: 'bench-vault-key-bench-vault-key-0123456789' }));
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@umbra.test', password: 'bench password 1' } });
const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
async function load(url: string, ms: number) {
  let done = 0; const end = performance.now() + ms;
  await Promise.all(Array.from({ length: 32 }, async () => { while (performance.now() < end) { await app.inject({ method: 'GET', url, headers: { cookie } }); done++; } }));
  return done / (ms / 1000);
}
await load('/api/events', 2000);
for (let i = 0; i < 2; i++) {
  const full = await load('/api/events', 5000);
  const grid = await load('/api/events?fields=id,title,start_at,end_at,all_day', 5000);
  console.log(`32 in flight, in-process: full ${full.toFixed(0)} req/s, grid ${grid.toFixed(0)} req/s, grid/full ${(grid / full).toFixed(2)}`);
}
await app.close();
