import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../src/db/schema.ts';
import { typeParsers } from '../src/db/create-db.ts';
import { floorEndpoints } from './endpoints.ts';

/** EXPLAIN (ANALYZE, BUFFERS) of every statement UMBRA's read endpoints run, for BENCHMARKS.md. */
export async function explainPlans(databaseUrl: string, userId: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, types: typeParsers });
  const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') statements.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  const out: string[] = [];
  try {
    for (const endpoint of floorEndpoints) {
      statements.length = 0;
      await endpoint.run(db, userId);
      for (const statement of [...statements]) {
        const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, [...statement.parameters]);
        out.push(`-- ${endpoint.path}\n${statement.sql}\n${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
      }
    }
  } finally {
    await db.destroy();
  }
  return out.join('\n');
}
