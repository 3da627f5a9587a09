import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { defineQueue } from '../../platform/jobs/queue.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import { namedStorageKeys } from './queries.ts';

// The sweeper: removes stored objects that no file row names (bytes of an upload whose commit
// never came: a crash, a database failure whose cleanup also failed, a storage that refused the
// delete after a row went, an item or household deleted with its rows), and the temporary files
// interrupted uploads left. Only objects older than the grace period, so an upload whose row is
// about to commit is never touched.

/** `stately`: at most one sweep waits and one runs, across every server process. */
export const sweepQueue = defineQueue('files-sweep', z.object({}), {
  retryLimit: 3,
  retryDelaySeconds: 60,
  retryBackoff: true,
  expireInSeconds: 30 * 60,
  retentionDays: 1,
  mode: 'stately',
});

/** Every 30 minutes (UTC), and once at each start. */
const SWEEP_CRON = '*/30 * * * *';
const BATCH = 500;

export type SweepResult = { removed: number; abandonedUploads: number };

export async function sweepStrayFiles(deps: { db: Kysely<DB>; store: BlobStore }, olderThan: Date): Promise<SweepResult> {
  const abandonedUploads = await deps.store.removeAbandonedUploads(olderThan);
  let removed = 0;
  let batch: string[] = [];
  const sweepBatch = async () => {
    const named = await namedStorageKeys(deps.db, batch);
    for (const key of batch) {
      if (named.has(key)) continue;
      await deps.store.delete(key);
      removed++;
    }
    batch = [];
  };
  for await (const blob of deps.store.list('')) {
    if (blob.lastModified >= olderThan) continue;
    batch.push(blob.key);
    if (batch.length >= BATCH) await sweepBatch();
  }
  await sweepBatch();
  return { removed, abandonedUploads };
}

export async function scheduleSweeper(app: FastifyInstance, deps: { db: Kysely<DB>; store: BlobStore }, graceSeconds: number): Promise<void> {
  await app.jobs.work(sweepQueue, {}, async () => {
    const result = await sweepStrayFiles(deps, new Date(Date.now() - graceSeconds * 1000));
    if (result.removed > 0 || result.abandonedUploads > 0) app.log.info(result, 'file sweeper removed stray objects');
  });
  await app.jobs.schedule(sweepQueue, SWEEP_CRON, {});
  app.addHook('onReady', async () => {
    await app.db.transaction().execute((trx) => app.jobs.send(trx, sweepQueue, {}));
  });
}
