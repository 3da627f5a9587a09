import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import { createDb, type Database } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
    /** True when the database answers a trivial query within the timeout. */
    isDatabaseReady: (timeoutMs?: number) => Promise<boolean>;
  }
}

export type DbPluginOptions = { config: Config; database?: Database };

/**
 * Opens the database (or uses the one a caller passed in, which then stays the caller's to
 * close), applies pending migrations when it opened it, and closes it with the app.
 */
export default fp<DbPluginOptions>(
  async (app, { config, database: given }) => {
    const database =
      given ?? (await createDb(config, { onError: (error) => app.log.warn({ err: error }, 'idle database connection lost') }));
    if (!given) {
      await migrateToLatest(database.db);
      app.addHook('onClose', async () => database.close());
    }
    app.decorate('db', database.db);
    app.decorate('isDatabaseReady', async (timeoutMs = 2_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const probe = sql`select 1`.execute(database.db).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    });
  },
  { name: 'db' },
);
