import { type Kysely, sql } from 'kysely';
import type { DB, MailStatus } from '../db/schema.ts';

// The outbox's rows. A sender claims a row before it talks to the SMTP server and holds it for a
// lease; the row's status, not the job, decides whether a mail still has to go out.

export type ClaimedMail = { id: string; recipient: string; template: string; params: unknown; message_id: string; attempts: number };

export async function insertMail(
  db: Kysely<DB>,
  values: { id: string; recipient: string; template: string; params: string; message_id: string },
): Promise<void> {
  await db.insertInto('mail_outbox').values(values).execute();
}

/**
 * Takes the row for sending: only while it is pending, or held by a sender whose lease ran out
 * (it died mid-send). SKIP LOCKED: a row another sender is claiming this instant is not waited
 * for, it is simply not ours.
 */
export async function claimMail(db: Kysely<DB>, id: string, leaseSeconds: number): Promise<ClaimedMail | undefined> {
  return db
    .updateTable('mail_outbox')
    .set({
      status: 'sending',
      claimed_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('mail_outbox as m')
        .select('m.id')
        .where('m.id', '=', id)
        .where((w) => w.or([w('m.status', '=', 'pending'), w.and([w('m.status', '=', 'sending'), w('m.claimed_until', '<', sql<Date>`now()`)])]))
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'recipient', 'template', 'params', 'message_id', 'attempts'])
    .executeTakeFirst();
}

export async function mailStatus(db: Kysely<DB>, id: string): Promise<MailStatus | undefined> {
  return (await db.selectFrom('mail_outbox').select('status').where('id', '=', id).executeTakeFirst())?.status;
}

/** Sent; `last_error` keeps the reason of a failed attempt before, if any. */
export async function markMailSent(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Back to pending after a transient failure: the job's retry takes it again. */
export async function releaseMail(db: Kysely<DB>, id: string, error: string): Promise<void> {
  await db.updateTable('mail_outbox').set({ status: 'pending', claimed_until: null, last_error: error }).where('id', '=', id).where('status', '=', 'sending').execute();
}

/** Given up: a permanent refusal, or the last retry failed. The row stays, with the reason. */
export async function markMailFailed(db: Kysely<DB>, id: string, error: string): Promise<void> {
  await db.updateTable('mail_outbox').set({ status: 'failed', claimed_until: null, last_error: error }).where('id', '=', id).where('status', '=', 'sending').execute();
}

/** Mails not sent yet, oldest first (the start-up resume; the warning without SMTP counts them). */
export async function listUnsentMailIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('mail_outbox').select('id').where('status', 'in', ['pending', 'sending']).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => row.id);
}

export async function countUnsentMails(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirstOrThrow();
  return row.count;
}
