import { mkdir } from 'node:fs/promises';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { parseInstant, TIMESTAMPTZ_OID } from './instant-parser.ts';

export type Database = {
  db: Kysely<DB>;
  kind: 'postgres' | 'pglite';
  /** Ends the pool and, for the embedded database, shuts PGlite down cleanly (same as db.destroy()). */
  close: () => Promise<void>;
};

const DATE_OID = 1082;
const INT8_OID = 20;

// One set of type parsers for both databases: dates stay 'YYYY-MM-DD' strings (pg would make
// a local-midnight Date of them) and bigint counts become numbers. Instants stay Date objects,
// read by a parser for the one form PostgreSQL writes them in (pg's own for anything else).
export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return parseInstant;
    // @types/pg types pg's own parsers as returning any; what they return is pg's business.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    return pg.types.getTypeParser(oid, format);
  },
};

type PoolOptions = { max?: number; onError?: (error: Error) => void };

export function createPostgresDatabase(connectionString: string, options: PoolOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString,
    types: typeParsers,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    application_name: 'umbra',
  });
  // A client losing its server (restart, network) must not crash the process. pg emits 'error'
  // on the client even while a query on it is running (the query also fails, and the request
  // answers 503); the pool only listens while a client is idle, so every client gets a listener
  // of its own. The pool drops broken clients and connects new ones on the next checkout.
  const report = (error: Error) => options.onError?.(error);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/** Wraps an open PGlite in the same pg driver and type parsing the server uses for PostgreSQL. */
export async function createPgliteDatabase(pglite: PGlite): Promise<Database> {
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  // PGlite is a single connection: a pool of one serialises queries, so a transaction is never
  // interleaved with statements from another request. Never query `db` while holding a `trx`.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: typeParsers });
  // A closed PGlite fails deep inside the driver; refuse early with the SQLSTATE PostgreSQL
  // itself sends when shutting down, so callers see "database unavailable" on both databases.
  const guardedPool: PostgresPool = {
    connect: async () => {
      if (pglite.closed) throw Object.assign(new Error('The embedded database is closed'), { code: '57P01' });
      return pool.connect();
    },
    // Ending the pool (db.destroy()) also shuts PGlite down cleanly, so every owner of the
    // Kysely instance (server, CLI, tests) releases the embedded database the same way.
    end: async () => {
      await pool.end();
      if (!pglite.closed) await pglite.close();
    },
  };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: guardedPool }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/**
 * PGlite with the extensions the migrations use (PGlite loads extensions at creation). Imported
 * on demand: a server on PostgreSQL never loads the embedded database's code (~40 MB of RSS).
 */
export async function createPglite(options: PGliteOptions): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  return PGlite.create({ ...options, extensions: { pg_trgm, ...options.extensions } });
}

export async function openPglite(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  return createPglite({ dataDir });
}

export type DatabaseConfig = { databaseUrl: string | undefined; dataDir: string };

export async function createDb(config: DatabaseConfig, options: PoolOptions = {}): Promise<Database> {
  if (config.databaseUrl) return createPostgresDatabase(config.databaseUrl, options);
  return createPgliteDatabase(await openPglite(config.dataDir));
}
