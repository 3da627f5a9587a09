import type { FastifyBaseLogger } from 'fastify';
import type PgBoss from 'pg-boss';
import type { JobHandler, Queue } from './queue.ts';

/**
 * One batch from pg-boss through a queue's handler: the data parsed by the queue's schema, the
 * attempt counted. A throw fails the job, which pg-boss retries with the queue's back-off.
 */
export async function runJob<T extends object>(
  log: FastifyBaseLogger,
  queue: Queue<T>,
  handler: JobHandler<T>,
  batch: Array<PgBoss.JobWithMetadata<unknown>>,
): Promise<void> {
  for (const raw of batch) {
    const parsed = queue.data.safeParse(raw.data);
    if (!parsed.success) {
      // Retrying cannot repair it: log and let it complete.
      log.error({ queue: queue.name, job: raw.id }, 'background job with malformed data dropped');
      continue;
    }
    const job = { id: raw.id, data: parsed.data, attempt: raw.retryCount + 1, lastAttempt: raw.retryCount >= raw.retryLimit };
    try {
      await handler(job);
    } catch (error) {
      log.warn({ queue: queue.name, job: raw.id, attempt: job.attempt, lastAttempt: job.lastAttempt, err: error }, 'background job failed');
      throw error;
    }
  }
}
