import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import { bossDb } from './boss-db.ts';

/**
 * Installs (or upgrades) pg-boss's schema without starting any of its work. The server does the
 * same at every start; the tests do it once in their template database.
 */
export async function installJobSchema<DB>(db: Kysely<DB>): Promise<void> {
  const boss = new PgBoss({ db: bossDb(db), schema: 'pgboss', migrate: true, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
}
