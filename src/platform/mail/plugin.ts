import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { DB } from '../db/schema.ts';
import { defineQueue } from '../jobs/queue.ts';
import { deliverMail, LEASE_SECONDS } from './deliver.ts';
import { countUnsentMails, insertMail, listUnsentMailIds } from './outbox-queries.ts';
import { type MailTemplate, rendererOf, type StoredTemplateRenderer } from './template.ts';
import { createMailTransport, LONGEST_SEND_SECONDS } from './transport.ts';

export type Mailer = {
  /** Makes a template known to this process's sender. Call it while the app registers (before ready). */
  register<P extends object>(template: MailTemplate<P>): void;
  /**
   * Queues a mail in the caller's transaction: the outbox row and the job that delivers it exist
   * exactly when the transaction commits. Returns the mail's outbox id. Never waits for SMTP.
   */
  enqueue<P extends object>(trx: Transaction<DB>, template: MailTemplate<P>, recipient: string, params: P): Promise<string>;
  /** Whether this process delivers mail (SMTP_URL is set). */
  readonly delivering: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    mail: Mailer;
  }
}

/** One job per outbox row; its id is the row's id, so a second job for a row never piles up. */
export const mailQueue = defineQueue('mail-outbox', z.object({ outboxId: z.uuid() }), {
  retryLimit: 12,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // pg-boss counts a job running longer as dead and retries it; a send is bounded well below.
  expireInSeconds: LEASE_SECONDS + LONGEST_SEND_SECONDS,
  retentionDays: 30,
});

export type MailPluginOptions = { config: Pick<Config, 'smtpUrl' | 'mailFrom'> };

/** The domain of MAIL_FROM's address, for Message-IDs (`<outbox id@domain>`). */
function senderDomain(mailFrom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
  return address.slice(address.lastIndexOf('@') + 1).trim() || 'localhost';
}

/**
 * Mail through a transactional outbox (`mail_outbox`) delivered by a pg-boss worker over SMTP.
 * A request writes the row and its job in its own transaction and returns; the worker sends it
 * later, with retries and back-off, whatever state the mail server is in. Without SMTP_URL the
 * mails stay in the outbox: no worker runs, and one warning at start says how many wait.
 */
export default fp<MailPluginOptions>(
  async (app, { config }) => {
    await app.jobs.register(mailQueue);
    const templates = new Map<string, StoredTemplateRenderer>();
    const domain = senderDomain(config.mailFrom);

    const mailer: Mailer = {
      delivering: config.smtpUrl !== undefined,
      register(template) {
        templates.set(template.name, rendererOf(template));
      },
      async enqueue(trx, template, recipient, params) {
        if (!templates.has(template.name)) throw new Error(`Mail template "${template.name}" is used before app.mail.register()`);
        const id = randomUUID();
        await insertMail(trx, { id, recipient, template: template.name, params: JSON.stringify(template.params.parse(params)), message_id: `<${id}@${domain}>` });
        await app.jobs.send(trx, mailQueue, { outboxId: id }, { id });
        return id;
      },
    };
    app.decorate('mail', mailer);

    if (config.smtpUrl === undefined) {
      app.addHook('onReady', async () => {
        app.log.warn({ unsent: await countUnsentMails(app.db) }, 'SMTP_URL is not set: mails are kept in the outbox and not sent');
      });
      return;
    }

    const transport = await createMailTransport(config.smtpUrl);
    const sender = { db: app.db, transport, from: config.mailFrom, templates, log: app.log };
    await app.jobs.work(mailQueue, { concurrency: 2 }, (job) => deliverMail(sender, job));
    app.addHook('onReady', async () => {
      // A mail whose job is gone (kept unsent past the job's retention, or its last attempt died
      // with its process) gets one again; mails whose job still waits keep that one.
      const unsent = await listUnsentMailIds(app.db);
      await app.db.transaction().execute((trx) => app.jobs.ensure(trx, mailQueue, unsent.map((id) => ({ id, data: { outboxId: id } }))));
    });
  },
  { name: 'mail', dependencies: ['db', 'jobs'] },
);
