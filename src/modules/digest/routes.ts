import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { digestQueue } from './schemas.ts';
import { runDigests } from './service.ts';
import { digestTemplate } from './template.ts';

export type DigestPluginOptions = { now?: (() => Date) | undefined };

/** Every minute, so a digest goes out within a minute of 08:00 local (and of a restart after it). */
export const DIGEST_CRON = '* * * * *';

/**
 * The daily digest: no routes (this file is the module's plugin, as routes.ts is in every module), a pg-boss schedule (one job a minute across all processes,
 * surviving restarts) and its worker. "Now" is the database's clock, as for the views, unless the
 * app was built with a clock of its own (tests).
 */
const digestPlugin: FastifyPluginAsync<DigestPluginOptions> = async (app, options) => {
  app.mail.register(digestTemplate);
  const now = async () => options.now?.() ?? (await sql<{ now: Date }>`select now() as now`.execute(app.db)).rows[0]?.now ?? new Date();
  await app.jobs.schedule(digestQueue, DIGEST_CRON, {});
  await app.jobs.work(digestQueue, {}, async () => {
    await runDigests({ db: app.db, mail: app.mail, log: app.log }, await now());
  });
};

export default digestPlugin;
