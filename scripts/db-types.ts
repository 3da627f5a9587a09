// Generates src/platform/db/schema.ts from the migrated database with kysely-codegen, so table types come
// from the SQL migrations and cannot drift: `--verify` (run in CI) fails when they differ.
//
//   npm run db:types              regenerate src/platform/db/schema.ts
//   npm run db:types -- --verify  only check
//
// Needs a PostgreSQL admin URL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres):
// a scratch database is created, migrated, read and dropped.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createPostgresDatabase } from '../src/platform/db/create-db.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { adminQuery, databaseUrl } from '../tests/helpers/postgres-admin.ts';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `umbra_types_${randomBytes(4).toString('hex')}`;
const url = databaseUrl(adminUrl, name);

await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
try {
  const database = createPostgresDatabase(url, { max: 1 });
  await migrateToLatest(database.db);
  await database.close();
  execFileSync(
    'npx',
    [
      'kysely-codegen',
      '--dialect', 'postgres',
      '--url', url,
      '--out-file', 'src/platform/db/schema.ts',
      '--date-parser', 'string',
      '--type-mapping', JSON.stringify({ int8: 'number' }),
      '--exclude-pattern', 'kysely_*',
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
} finally {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
