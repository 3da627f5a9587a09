import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Mailer } from '../../platform/mail/plugin.ts';
import { addDaysToDate, localDate, zoned } from '../../platform/time/zoned.ts';
import { collectEntries } from './entries.ts';
import { claimDigest, type DueUser, listDigestZones, listDueUsers, purgeDigestRuns, recordDigest } from './queries.ts';
import { DIGEST_HOUR, DIGEST_MAX_ENTRIES } from './schemas.ts';
import { digestTemplate } from './template.ts';

export type DigestDeps = { db: Kysely<DB>; mail: Pick<Mailer, 'enqueue'>; log?: FastifyBaseLogger };

/** Users looked at per query; a run goes on until none is left. */
const BATCH = 200;

export type DigestRun = { claimed: number; mailed: number; failed: number };

/** The zones in which `now` is 08:00 or later, each with its local date. */
function zonesPastTheHour(timezones: string[], now: Date): Array<{ timezone: string; localDate: string }> {
  return timezones.flatMap((timezone) => (zoned(now, timezone).hour >= DIGEST_HOUR ? [{ timezone, localDate: localDate(now, timezone) }] : []));
}

/**
 * One user's digest of their local date, in one transaction: the (user, date) row is claimed
 * first, so a second process (or a second run) waits on it and then leaves it; the mail is queued
 * in the same transaction, so it exists exactly when the claim does. Nothing due: no mail.
 */
async function sendDigest(deps: DigestDeps, user: DueUser, now: Date): Promise<'mailed' | 'empty' | 'taken'> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimDigest(trx, user.user_id, user.local_date))) return 'taken';
    const entries = await collectEntries(trx, user.user_id, { timezone: user.timezone, now });
    if (entries.length === 0) return 'empty';
    const listed = entries.slice(0, DIGEST_MAX_ENTRIES);
    const params = { display_name: user.display_name, timezone: user.timezone, from: user.local_date, entries: listed, more: entries.length - listed.length };
    const mailId = await deps.mail.enqueue(trx, digestTemplate, user.email, params);
    await recordDigest(trx, user.user_id, user.local_date, mailId, entries.length);
    return 'mailed';
  });
}

/**
 * Every digest due at `now`: users who want it, whose local time is past 08:00 and who have none
 * for their local date. A digest missed while no process ran goes out on the first run of the
 * same local day; a day that has ended is never made up for.
 */
export async function runDigests(deps: DigestDeps, now: Date): Promise<DigestRun> {
  const run: DigestRun = { claimed: 0, mailed: 0, failed: 0 };
  const zones = zonesPastTheHour(await listDigestZones(deps.db), now);
  for (;;) {
    const due = await listDueUsers(deps.db, zones, BATCH);
    for (const user of due) {
      try {
        const outcome = await sendDigest(deps, user, now);
        if (outcome !== 'taken') run.claimed++;
        if (outcome === 'mailed') run.mailed++;
      } catch (error) {
        // Rolled back: the next run tries this user again; the others are not held up.
        run.failed++;
        deps.log?.error({ err: error, user: user.user_id }, 'daily digest failed');
      }
    }
    // A user who failed is still due: stop here rather than meet them again in this run.
    if (due.length < BATCH || run.failed > 0) break;
  }
  // The earliest local date anywhere is at most a day behind UTC's; older rows keep nothing single.
  await purgeDigestRuns(deps.db, addDaysToDate(localDate(now, 'UTC'), -2));
  if (run.claimed > 0 || run.failed > 0) deps.log?.info(run, 'daily digest run');
  return run;
}
