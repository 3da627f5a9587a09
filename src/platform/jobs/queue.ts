import type { z } from 'zod';

/** How pg-boss treats a queue's jobs: retries with (exponential) back-off, expiry, retention. */
export type QueuePolicy = {
  /** Retries after the first attempt. */
  retryLimit: number;
  /**
   * Seconds before the first retry. With back-off, retry n waits between delay * 2^(n-1) and twice
   * that (pg-boss's jittered formula): 30 s gives 30-60 s, 1-2 min, 2-4 min, ...
   */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** A job still active after this long counts as failed (its process died) and is retried. */
  expireInSeconds: number;
  /** A job not yet run after this long is dropped. */
  retentionDays: number;
  /**
   * pg-boss's queue policy: `standard`, or `stately` (at most one job waiting and one running
   * across every process: a second send while one waits is dropped), for work that must never
   * run twice at once, such as a sweep. Fixed when the queue is created.
   */
  mode: 'standard' | 'stately';
};

/**
 * A named queue and the shape of its jobs' data. Handlers receive the data parsed by `data`
 * (it comes back from the database as JSON), so it must survive JSON: ids and plain values.
 */
export type Queue<T extends object> = { readonly name: string; readonly data: z.ZodType<T>; readonly policy: QueuePolicy };

const DEFAULT_POLICY: QueuePolicy = { retryLimit: 10, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 15 * 60, retentionDays: 14, mode: 'standard' };

/** `name`: lower-case words joined by '-' or '_' (pg-boss names tables after it). */
export function defineQueue<T extends object>(name: string, data: z.ZodType<T>, policy: Partial<QueuePolicy> = {}): Queue<T> {
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new TypeError(`Queue name "${name}" must be lower-case letters, digits, '-' or '_'`);
  return { name, data, policy: { ...DEFAULT_POLICY, ...policy } };
}

/** One job as a handler sees it. */
export type Job<T> = {
  id: string;
  data: T;
  /** 1 for the first attempt. */
  attempt: number;
  /** No retry follows if this attempt fails. */
  lastAttempt: boolean;
};

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export type WorkOptions = {
  /** How many jobs of this queue one process runs at once (one polling loop each). */
  concurrency?: number;
  /** How often an idle loop looks for new jobs (pg-boss allows 0.5 and more). */
  pollingIntervalSeconds?: number;
};

export type SendOptions = {
  /** The job's id (a uuid): a second send with the same id is dropped while the first exists. */
  id?: string;
  /** Not before this instant. */
  startAfter?: Date;
};

/** A job sent by pg-boss's clock: `cron` (5 fields) in `timeZone` (IANA; default UTC). */
export type ScheduleOptions = { timeZone?: string };
