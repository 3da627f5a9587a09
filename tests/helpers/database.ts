import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PGliteOptions } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { createPglite, createPgliteDatabase, createPostgresDatabase, type Database } from '../../src/platform/db/create-db.ts';
import { adminQuery, databaseUrl } from './postgres-admin.ts';

export type TestDatabase = {
  database: Database;
  /** Set on PostgreSQL: a URL other processes (a spawned server) can use. */
  url: string | undefined;
  /** Makes the database unreachable under the open pool, as an outage would. */
  kill: () => Promise<void>;
  /** Closes the connection and removes the database. */
  drop: () => Promise<void>;
};

async function disposablePostgres(adminUrl: string, template?: string): Promise<TestDatabase> {
  const name = `umbra_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = databaseUrl(adminUrl, name);
  const database = createPostgresDatabase(url);
  const dropDatabase = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  return {
    database,
    url,
    kill: dropDatabase,
    drop: async () => {
      await database.close();
      await dropDatabase();
    },
  };
}

async function disposablePglite(options: PGliteOptions): Promise<TestDatabase> {
  const pglite = await createPglite(options);
  const database = await createPgliteDatabase(pglite);
  return {
    database,
    url: undefined,
    kill: () => pglite.close(),
    drop: database.close,
  };
}

/** A migrated, empty, disposable database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject('testDatabase');
  if (info.kind === 'postgres') return disposablePostgres(info.adminUrl, info.template);
  return disposablePglite({ loadDataDir: new Blob([await readFile(info.dumpPath)]) });
}

/** A fresh database with nothing in it, not even the migrations (for migration tests). */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const info = inject('testDatabase');
  if (info.kind === 'postgres') return disposablePostgres(info.adminUrl);
  return disposablePglite({ dataDir: 'memory://' });
}
