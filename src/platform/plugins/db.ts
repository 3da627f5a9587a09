import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.ts';
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

/** How long closing waits for route handlers still running before it closes the pool anyway. */
const HANDLER_DRAIN_MS = 10_000;

/**
 * Opens the database (or uses the one a caller passed in, which then stays the caller's to
 * close), applies pending migrations when it opened it, and closes it with the app.
 *
 * Fastify's close() waits for open connections, but a handler whose client hung up keeps running
 * after its socket is gone; closing the pool under it would fail its next query. So every request
 * is counted from its first hook (the session lookup queries too) until its response is sent or
 * its client goes, every route handler while it runs, and the pool closes once none is left (or
 * after a grace).
 */
export default fp<DbPluginOptions>(
  async (app, { config, database: given }) => {
    const database =
      given ?? (await createDb(config, { onError: (error) => app.log.warn({ err: error }, 'idle database connection lost') }));
    if (!given) await migrateToLatest(database.db);

    let running = 0;
    let drained: (() => void) | undefined;
    const done = () => {
      running--;
      if (running === 0) drained?.();
    };
    app.addHook('onRoute', (route) => {
      const handler = route.handler;
      route.handler = async function counted(request, reply) {
        running++;
        try {
          return await handler.call(this, request, reply);
        } finally {
          done();
        }
      };
    });
    // Counted once each, whichever of the two ends it first.
    const inFlight = new WeakSet<object>();
    app.addHook('onRequest', async (request) => {
      running++;
      inFlight.add(request);
    });
    const ended = async (request: object) => {
      if (inFlight.delete(request)) done();
    };
    app.addHook('onResponse', ended);
    app.addHook('onRequestAbort', ended);
    app.addHook('onClose', async () => {
      if (running > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          drained = resolve;
          timer = setTimeout(resolve, HANDLER_DRAIN_MS);
        });
        clearTimeout(timer);
      }
      if (!given) await database.close();
    });
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
