import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { DB } from '../db/schema.ts';
import { BossActivity, bossDb } from './boss-db.ts';
import type { JobHandler, Queue, ScheduleOptions, SendOptions, WorkOptions } from './queue.ts';
import { runJob } from './run-job.ts';

/**
 * Background work on pg-boss: jobs live in PostgreSQL (the `pgboss` schema), are retried with
 * back-off, and a cron schedule has one runner across all processes.
 */
export type Jobs = {
  /** Creates the queue, or updates its policy (idempotent; every process does it at start). */
  register<T extends object>(queue: Queue<T>): Promise<void>;
  /**
   * Enqueues in the caller's transaction: the job exists exactly when the transaction commits,
   * and nothing runs before it does. Null when a job with the same `id` already exists.
   */
  send<T extends object>(trx: Transaction<DB>, queue: Queue<T>, data: T, options?: SendOptions): Promise<string | null>;
  /**
   * Makes sure a job with each id exists, in the caller's transaction: sent when none does, left
   * alone while one waits or runs, retried when it failed for good.
   */
  ensure<T extends object>(trx: Transaction<DB>, queue: Queue<T>, jobs: Array<{ id: string; data: T }>): Promise<void>;
  /** Runs `handler` for the queue's jobs in this process, from `ready` until `close`. A throw retries. */
  work<T extends object>(queue: Queue<T>, options: WorkOptions, handler: JobHandler<T>): Promise<void>;
  /** Sends `data` to the queue on a cron (upserted: the last registration wins; survives restarts). */
  schedule<T extends object>(queue: Queue<T>, cron: string, data: T, options?: ScheduleOptions): Promise<void>;
  unschedule<T extends object>(queue: Queue<T>): Promise<void>;
};

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

export type JobsPluginOptions = {
  /** Tests: one retry delay (seconds, >= 1) for every queue, so a retry does not take minutes. */
  retryDelaySeconds?: number;
  /** Tests: how often idle workers poll (seconds, >= 0.5; default 2). */
  pollingIntervalSeconds?: number;
};

type BossPolicy = { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number; retentionMinutes: number };

/** pg-boss's stored queue (it calls the expiry expireInSeconds, and retention retentionMinutes). */
function samePolicy(stored: PgBoss.QueueResult, wanted: BossPolicy): boolean {
  const current: Record<string, unknown> = { ...stored };
  return Object.entries(wanted).every(([key, value]) => current[key] === value);
}

/**
 * How long closing waits for running handlers before pg-boss marks them failed (retried later),
 * and then for its last statements. With the pool's own drain this stays within the 25 s
 * src/server.ts gives a shutdown.
 */
const STOP_TIMEOUT_MS = 10_000;
const DRAIN_MS = 3_000;

export default fp<JobsPluginOptions>(
  async (app, options) => {
    const activity = new BossActivity();
    const lostCompletion = (error: unknown) => app.log.warn({ err: error }, 'background jobs: could not record a finished job; it runs again once it expires');
    const boss = new PgBoss({ db: bossDb(app.db, activity, lostCompletion), schema: 'pgboss', migrate: true, supervise: true, schedule: true });
    // Without a listener an 'error' event would throw and end the process.
    boss.on('error', (error) => app.log.error({ err: error }, 'background jobs: pg-boss error'));
    await boss.start();

    const registered = new Set<string>();
    const workers: Array<() => Promise<void>> = [];
    let started = false;

    const register = async <T extends object>(queue: Queue<T>) => {
      if (registered.has(queue.name)) return;
      const policy: BossPolicy = {
        retryLimit: queue.policy.retryLimit,
        retryDelay: options.retryDelaySeconds ?? queue.policy.retryDelaySeconds,
        retryBackoff: queue.policy.retryBackoff,
        expireInSeconds: queue.policy.expireInSeconds,
        retentionMinutes: queue.policy.retentionDays * 24 * 60,
      };
      const existing = await boss.getQueue(queue.name);
      if (!existing) await boss.createQueue(queue.name, { name: queue.name, policy: queue.policy.mode, ...policy });
      else if (!samePolicy(existing, policy)) await boss.updateQueue(queue.name, { name: queue.name, ...policy });
      registered.add(queue.name);
    };

    const assertRegistered = (queue: { name: string }) => {
      if (!registered.has(queue.name)) throw new Error(`Queue "${queue.name}" is used before app.jobs.register()`);
    };

    const jobs: Jobs = {
      register,

      async send(trx, queue, data, sendOptions = {}) {
        assertRegistered(queue);
        return boss.send(queue.name, queue.data.parse(data), { ...sendOptions, db: bossDb(trx) });
      },

      async ensure(trx, queue, items) {
        assertRegistered(queue);
        if (items.length === 0) return;
        const db = bossDb(trx);
        // insert skips ids that exist; retry only touches jobs in the failed state.
        await boss.insert(items.map((item) => ({ id: item.id, name: queue.name, data: queue.data.parse(item.data) })), { db });
        await boss.retry(queue.name, items.map((item) => item.id), { db });
      },

      async work(queue, workOptions, handler) {
        await register(queue);
        const start = async () => {
          const loops = Math.max(1, workOptions.concurrency ?? 1);
          const pollingIntervalSeconds = options.pollingIntervalSeconds ?? workOptions.pollingIntervalSeconds ?? 2;
          for (let loop = 0; loop < loops; loop++) {
            await boss.work(queue.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, (batch) =>
              activity.track(() => runJob(app.log, queue, handler, batch)),
            );
          }
        };
        // Handlers start once every plugin has registered what they need (mail templates, say).
        if (started) await start();
        else workers.push(start);
      },

      async schedule(queue, cron, data, scheduleOptions = {}) {
        await register(queue);
        await boss.schedule(queue.name, cron, queue.data.parse(data), { tz: scheduleOptions.timeZone ?? 'UTC' });
      },

      async unschedule(queue) {
        await boss.unschedule(queue.name);
      },
    };

    app.decorate('jobs', jobs);
    app.addHook('onReady', async () => {
      started = true;
      for (const start of workers.splice(0)) await start();
    });
    // Registered after the database plugin, so this runs before the pool closes (onClose runs
    // in reverse order): pg-boss stops fetching, running handlers finish (or are failed and
    // retried later), and the last completion queries land before the pool goes.
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
      await activity.idle(DRAIN_MS);
      activity.close();
    });
  },
  { name: 'jobs', dependencies: ['db'] },
);
