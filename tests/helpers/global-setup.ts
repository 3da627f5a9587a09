import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPglite, createPgliteDatabase, createPostgresDatabase } from '../../src/platform/db/create-db.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { installJobSchema } from '../../src/platform/jobs/install.ts';
import { adminQuery, databaseUrl } from './postgres-admin.ts';

export type TestDatabaseInfo =
  | { kind: 'postgres'; adminUrl: string; template: string }
  | { kind: 'pglite'; dumpPath: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseInfo;
  }
}

/**
 * Migrates one template database for the whole run, pg-boss's schema included (installing it
 * costs each app start about 0.3 s otherwise); every test file then gets a cheap copy (CREATE
 * DATABASE ... TEMPLATE on PostgreSQL, a loaded data-dir dump on PGlite).
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const template = `umbra_template_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${template}`);
    const database = createPostgresDatabase(databaseUrl(adminUrl, template), { max: 1 });
    try {
      await migrateToLatest(database.db);
      await installJobSchema(database.db);
    } finally {
      await database.close();
    }
    project.provide('testDatabase', { kind: 'postgres', adminUrl, template });
    return async () => {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    };
  }

  const pglite = await createPglite({ dataDir: 'memory://' });
  const database = await createPgliteDatabase(pglite);
  await migrateToLatest(database.db);
  await installJobSchema(database.db);
  const dump = await pglite.dumpDataDir('none');
  await database.close();
  const dumpPath = join(tmpdir(), `umbra-template-${randomBytes(4).toString('hex')}.tar`);
  await writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDatabase', { kind: 'pglite', dumpPath });
  return async () => {
    await rm(dumpPath, { force: true });
  };
}
