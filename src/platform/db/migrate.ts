import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator, sql } from 'kysely';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));

/**
 * Each `NNNN_name.sql` file is one migration, sent as one simple-protocol query (several
 * statements are allowed there on both PostgreSQL and PGlite). The Migrator runs every pending
 * migration in one transaction, so a failing file leaves nothing of itself or its batch behind.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(join(this.folder, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies every pending migration, or none: throws with the failing migration's name. */
export async function migrateToLatest<T>(db: Kysely<T>, folder?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider(folder) });
  const resultSet = await migrator.migrateToLatest();
  // A failed batch still lists earlier steps as "Success" although the transaction rolled them
  // back; the error is the only reliable signal.
  if (resultSet.error) {
    const failed = resultSet.results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    const reason = resultSet.error instanceof Error ? resultSet.error.message : JSON.stringify(resultSet.error);
    throw new MigrationError(`Migration ${failed} failed, nothing was applied: ${reason}`, { cause: resultSet.error });
  }
  return resultSet;
}
