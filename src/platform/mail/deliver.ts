import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Job } from '../jobs/queue.ts';
import { claimMail, mailStatus, markMailFailed, markMailSent, releaseMail } from './outbox-queries.ts';
import type { StoredTemplateRenderer } from './template.ts';
import { describeSmtpFailure, LONGEST_SEND_SECONDS, type MailTransport } from './transport.ts';

/** How long a sender holds a mail it claimed; past it another sender may take the mail over. */
export const LEASE_SECONDS = 2 * LONGEST_SEND_SECONDS;

export type Sender = {
  db: Kysely<DB>;
  transport: MailTransport;
  from: string;
  templates: ReadonlyMap<string, StoredTemplateRenderer>;
  log: FastifyBaseLogger;
};

/** A retry is worth it: the job throws this, and pg-boss tries again after its back-off. */
export class MailNotSentYet extends Error {
  override name = 'MailNotSentYet';
}

/**
 * One outbox job: claim the row, render its template, hand it to the SMTP server, mark it sent.
 * A row that is sent (or failed for good) is never sent again, whichever job names it; a row
 * another sender holds is looked at again later. Nothing logged here carries the mail's text.
 */
export async function deliverMail(sender: Sender, job: Job<{ outboxId: string }>): Promise<void> {
  const { db, log } = sender;
  const mail = await claimMail(db, job.data.outboxId, LEASE_SECONDS);
  if (!mail) {
    const status = await mailStatus(db, job.data.outboxId);
    if (status === 'sending') throw new MailNotSentYet('Another sender holds this mail');
    log.debug({ mail: job.data.outboxId, status: status ?? 'gone' }, 'mail already handled');
    return;
  }
  const context = { mail: mail.id, template: mail.template, attempt: mail.attempts };

  const giveUp = async (reason: string) => {
    await markMailFailed(db, mail.id, reason);
    log.error({ ...context, reason }, 'mail not sent, given up');
  };
  const retryLater = async (reason: string) => {
    if (job.lastAttempt) return giveUp(reason);
    await releaseMail(db, mail.id, reason);
    throw new MailNotSentYet(reason);
  };

  const render = sender.templates.get(mail.template);
  // A process of a newer version may know the template: leave the mail to a retry.
  if (!render) return retryLater(`Unknown mail template "${mail.template}"`);
  let rendered;
  try {
    rendered = await render(mail.params);
  } catch (error) {
    return giveUp(`The template could not render: ${error instanceof Error ? error.message : 'unknown error'}`.slice(0, 500));
  }

  try {
    await sender.transport.send({ from: sender.from, to: mail.recipient, subject: rendered.subject, text: rendered.text, messageId: mail.message_id });
  } catch (error) {
    const failure = describeSmtpFailure(error);
    return failure.permanent ? giveUp(failure.reason) : retryLater(failure.reason);
  }
  await markMailSent(db, mail.id);
  log.info(context, 'mail sent');
}
