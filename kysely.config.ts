import { defineConfig } from 'kysely-ctl';
import { loadConfig } from './src/config.ts';
import { createDb } from './src/platform/db/create-db.ts';
import { SqlFileMigrationProvider } from './src/platform/db/migrate.ts';

// `npx kysely migrate:latest | migrate:list | migrate:down` against the database the server would
// use (DATABASE_URL, or the embedded one in DATA_DIR), with the same SQL files it applies at start.
export default defineConfig({
  kysely: async () => (await createDb(loadConfig())).db,
  migrations: { provider: new SqlFileMigrationProvider() },
});
