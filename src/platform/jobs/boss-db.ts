import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type PgBoss from 'pg-boss';

/**
 * Counts pg-boss statements and job handlers still running. pg-boss's stop() resolves while a
 * worker loop may still be fetching, and it completes or fails a finished job without awaiting
 * it; closing waits for this count to drop to zero before the pool closes under them.
 */
export class BossActivity {
  #running = 0;
  #closed = false;

  /** Set once the database is about to close: pg-boss's late statements then do nothing. */
  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
    }
  }

  /**
   * Resolves once nothing has run for two checks in a row (a completion query starts right after
   * its handler ends), or after `graceMs` whatever is still running.
   */
  async idle(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    for (let quiet = 0; quiet < 2 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      quiet = this.#running === 0 ? quiet + 1 : 0;
    }
  }
}

// pg-boss's locked scripts: "BEGIN; SET LOCAL ...; SELECT pg_advisory_xact_lock(...); ...; COMMIT;".
const TRANSACTION_SCRIPT = /^\s*BEGIN\s*;/i;

// The statements that complete or fail a finished job (pg-boss plans.js completeJobs, failJobs).
// pg-boss's worker sends them without awaiting (manager.js onFetch), so their failure (the
// database away at that moment) would be an unhandled rejection, which ends the process.
const UNAWAITED_COMPLETION = /SET completed_on = now\(\),\s*state = 'completed'|retried_jobs AS \(/;

/**
 * pg-boss's `db` option over the app's own Kysely instance, or over an open transaction for a job
 * sent in the same transaction as the change that causes it.
 *
 * - Every statement waits for a pool connection like any app query. On PGlite (one connection, a
 *   pool of one) that is what keeps pg-boss's statements out of an open app transaction; a second
 *   pool over the same PGlite would interleave with it.
 * - Statements without values go out as raw queries (pg's simple protocol), which pg-boss's
 *   multi-statement scripts need.
 * - pg-boss never rolls back a failed "BEGIN; ...; COMMIT;" script (two processes installing the
 *   schema at once, say), which would leave a pooled connection inside an aborted transaction;
 *   such a script runs on a connection of its own and is rolled back there on failure.
 */
export function bossDb<DB>(db: Kysely<DB> | Transaction<DB>, activity?: BossActivity, onLostCompletion?: (error: unknown) => void): PgBoss.Db {
  const run = async (text: string, values: unknown[] | undefined): Promise<{ rows: unknown[] }> => {
    const query = CompiledQuery.raw(text, values ?? []);
    if (db.isTransaction || !TRANSACTION_SCRIPT.test(text)) return { rows: (await db.executeQuery(query)).rows };
    return db.connection().execute(async (connection) => {
      try {
        return { rows: (await connection.executeQuery(query)).rows };
      } catch (error) {
        await connection.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
        throw error;
      }
    });
  };
  return {
    executeSql: (text, values) => {
      if (!activity) return run(text, values);
      // A handler that outlived closing completes or fails its job without awaiting it; on a
      // closed pool that would be an unhandled rejection. The job stays active instead, and is
      // retried once it expires.
      if (activity.closed) return Promise.resolve({ rows: [] });
      const running = activity.track(() => run(text, values));
      if (!UNAWAITED_COMPLETION.test(text)) return running;
      // Such a job stays active until it expires and is retried, as after a crash. pg-boss reads
      // the count of jobs the statement changed: none.
      return running.catch((error: unknown) => {
        onLostCompletion?.(error);
        return { rows: [{ count: 0 }] };
      });
    },
  };
}
