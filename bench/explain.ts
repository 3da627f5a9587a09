import pg from 'pg';
import { typeParsers } from '../src/platform/db/create-db.ts';
import { captureStatements } from './endpoints.ts';

/** EXPLAIN (ANALYZE, BUFFERS) of every statement UMBRA's read endpoints run, for BENCHMARKS.md. */
export async function explainPlans(databaseUrl: string, userId: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, types: typeParsers });
  const out: string[] = [];
  try {
    for (const [path, statements] of await captureStatements(pool, userId)) {
      for (const statement of statements) {
        const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, [...statement.parameters]);
        out.push(`-- ${path}\n${statement.sql}\n${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
      }
    }
  } finally {
    await pool.end();
  }
  return out.join('\n');
}
