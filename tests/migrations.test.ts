import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, MigrationError, migrateToLatest } from '../src/platform/db/migrate.ts';
import { createEmptyDatabase, type TestDatabase } from './helpers/database.ts';

async function tableNames(target: TestDatabase): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name
  `.execute(target.database.db);
  return result.rows.map((row) => row.table_name);
}

async function appliedMigrations(target: TestDatabase): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(target.database.db);
  return result.rows.map((row) => row.name);
}

describe('SQL file migrations', () => {
  let target: TestDatabase;
  let folder: string;

  beforeEach(async () => {
    target = await createEmptyDatabase();
    folder = await mkdtemp(join(tmpdir(), 'umbra-migrations-'));
  });
  afterEach(async () => {
    await target.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it('applies the project migrations to a fresh database, and a re-run is a no-op', async () => {
    const first = await migrateToLatest(target.database.db);
    expect(first.results?.length).toBeGreaterThan(0);
    expect(first.results?.every((result) => result.status === 'Success')).toBe(true);
    const applied = await appliedMigrations(target);
    expect(applied[0]).toBe('0001_foundation');

    const second = await migrateToLatest(target.database.db, MIGRATIONS_DIR);
    expect(second.results).toEqual([]);
    expect(await appliedMigrations(target)).toEqual(applied);
  });

  it('runs files in numeric order and handles $$ bodies, quotes and several statements per file', async () => {
    await writeFile(join(folder, '0002_second.sql'), `INSERT INTO things (label) VALUES ('it''s; two');`);
    await writeFile(
      join(folder, '0001_first.sql'),
      `CREATE TABLE things (label text);
       CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) || ';' $$;`,
    );
    await writeFile(join(folder, 'README.md'), 'not a migration');
    await migrateToLatest(target.database.db, folder);
    const rows = await sql<{ shouted: string }>`select shout(label) as shouted from things`.execute(target.database.db);
    expect(rows.rows).toEqual([{ shouted: "IT'S; TWO;" }]);
    expect(await appliedMigrations(target)).toEqual(['0001_first', '0002_second']);
  });

  it('leaves nothing behind when a migration in the batch fails', async () => {
    await writeFile(join(folder, '0001_ok.sql'), 'CREATE TABLE kept (id int);');
    await migrateToLatest(target.database.db, folder);

    await writeFile(join(folder, '0002_creates.sql'), 'CREATE TABLE doomed (id int); INSERT INTO kept VALUES (1);');
    await writeFile(join(folder, '0003_fails.sql'), 'CREATE TABLE also_doomed (id int); SELECT * FROM no_such_table;');
    await expect(migrateToLatest(target.database.db, folder)).rejects.toThrow(MigrationError);
    await expect(migrateToLatest(target.database.db, folder)).rejects.toThrow(/0003_fails failed, nothing was applied/);

    expect(await tableNames(target)).toEqual(['kept', 'kysely_migration', 'kysely_migration_lock']);
    expect(await appliedMigrations(target)).toEqual(['0001_ok']);
    const kept = await sql<{ n: number }>`select count(*)::int as n from kept`.execute(target.database.db);
    expect(kept.rows[0]?.n).toBe(0);
  });
});
