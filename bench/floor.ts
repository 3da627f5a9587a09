// The floor: a minimal server (node:http + pg, no auth, no validation, no schemas) that runs the
// same SQL as UMBRA's read endpoints. The statements are captured once by running UMBRA's own
// query functions against a logging Kysely, then replayed verbatim on every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { typeParsers } from '../src/platform/db/create-db.ts';
import { captureStatements } from './endpoints.ts';

const databaseUrl = process.env.DATABASE_URL ?? '';
const userId = process.env.BENCH_USER_ID ?? '';
const port = Number(process.env.PORT ?? 0);

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, types: typeParsers });
const routes = await captureStatements(pool, userId);

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const statements = routes.get(request.url ?? '');
  if (!statements) {
    response.writeHead(404).end();
    return;
  }
  try {
    const results = await Promise.all(statements.map((statement) => pool.query<Record<string, unknown>>(statement.sql, [...statement.parameters])));
    const body = JSON.stringify(results.map((result) => result.rows));
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
}

const server = createServer((request, response) => void answer(request, response));
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor listening on ${typeof address === 'object' && address ? address.port : port}`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
