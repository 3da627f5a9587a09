import { createServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type App, buildApp, type BuildOptions } from '../src/app.ts';
import { createPostgresDatabase, type Database } from '../src/platform/db/create-db.ts';
import { mailQueue } from '../src/platform/mail/plugin.ts';
import { defineMailTemplate } from '../src/platform/mail/template.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { eventually } from './helpers/eventually.ts';
import { homeOf } from './helpers/households.ts';
import { startTestSmtp, type TestSmtp } from './helpers/smtp.ts';
import { registerUser, uniqueEmail } from './helpers/users.ts';

// The outbox across app instances on one database, as several server processes (or restarts)
// see it: without SMTP_URL mails wait; a sender started later delivers them; two senders at
// once deliver each mail exactly once.

let testDatabase: TestDatabase;
let smtp: TestSmtp;
const opened: Array<{ app: App; database?: Database }> = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  smtp = await startTestSmtp();
});
afterAll(async () => {
  for (const { app, database } of opened.reverse()) {
    await app.close();
    await database?.close();
  }
  await testDatabase.drop();
  await smtp.stop();
});

/** A template of the tests' own, registered the way a module registers its templates. */
const note = defineMailTemplate({ name: 'test-note', params: z.object({ n: z.number().int() }), render: ({ n }) => ({ subject: `Note ${n}`, text: `This is note ${n}.` }) });

const fast: BuildOptions['jobs'] = { retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 };

/** Another app on the same database: on PostgreSQL with a pool of its own, as a second process would have. */
async function startApp(env: Record<string, string>, options: BuildOptions = {}, ownPool = false): Promise<App> {
  const database = ownPool && testDatabase.url ? createPostgresDatabase(testDatabase.url) : undefined;
  const app = await buildApp(testConfig(env), { jobs: fast, ...options, database: database ?? testDatabase.database });
  await app.ready();
  opened.push({ app, database });
  return app;
}

async function stopApp(app: App): Promise<void> {
  const index = opened.findIndex((entry) => entry.app === app);
  const [entry] = opened.splice(index, 1);
  await app.close();
  await entry?.database?.close();
}

const db = () => testDatabase.database.db;
const unsent = async () => (await db().selectFrom('mail_outbox').select('id').where('status', '!=', 'sent').execute()).map((row) => row.id);

async function inviteMany(app: App, count: number): Promise<string[]> {
  const owner = await registerUser(app);
  const home = await homeOf(app, owner);
  const emails = Array.from({ length: count }, () => uniqueEmail('many'));
  for (const email of emails) {
    const response = await app.inject({ method: 'POST', url: `/api/households/${home.id}/invitations`, headers: owner.headers, payload: { email, role: 'member' } });
    expect(response.statusCode, response.body).toBe(201);
  }
  return emails;
}

describe('without SMTP_URL', () => {
  it('mails stay in the outbox, one warning at start counts them; a sender started later delivers them all, even one whose job was lost', async () => {
    const first = await startApp({});
    const emails = await inviteMany(first, 2);
    await stopApp(first);

    const lines: string[] = [];
    const second = await startApp({ LOG_LEVEL: 'info' }, { logStream: { write: (line) => void lines.push(line) } });
    await inviteMany(second, 1);
    const warnings = lines.map((line) => JSON.parse(line)).filter((entry: { level: number }) => entry.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ unsent: 2, msg: 'SMTP_URL is not set: mails are kept in the outbox and not sent' })]);
    expect(await unsent()).toHaveLength(3);
    expect(await db().selectFrom('mail_outbox').select('attempts').where('attempts', '>', 0).execute()).toEqual([]);
    await stopApp(second);

    // A job dropped meanwhile (pg-boss drops jobs not run within the queue's retention).
    const [lost] = await unsent();
    await sql`delete from pgboss.job where id = ${lost}::uuid`.execute(db());
    const third = await startApp({ SMTP_URL: smtp.url });
    await smtp.waitFor(3, (mail) => mail.envelope.to.some((to) => to.startsWith('many-')));
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
    await eventually(unsent, (ids) => ids.length === 0);
    await stopApp(third);
  });
});

describe('two senders on one outbox', () => {
  it('deliver each mail exactly once, even with several jobs naming each mail', async () => {
    const count = 12;
    // Both apps deliver; on PostgreSQL each has its own pool, as two processes would.
    const logs = { a: [] as string[], b: [] as string[] };
    const a = await startApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'debug' }, { logStream: { write: (line) => void logs.a.push(line) } });
    const b = await startApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'debug' }, { logStream: { write: (line) => void logs.b.push(line) } }, true);
    for (const app of [a, b]) app.mail.register(note);
    const emails = Array.from({ length: count }, () => uniqueEmail('race'));
    // One transaction: every mail and job becomes visible to both senders at the same instant.
    await db().transaction().execute(async (trx) => {
      for (const [n, email] of emails.entries()) {
        const id = await a.mail.enqueue(trx, note, email, { n });
        // Three more jobs for the same mail, as a resume after a restart or a retry could add.
        for (let extra = 0; extra < 3; extra++) await a.jobs.send(trx, mailQueue, { outboxId: id });
      }
    });
    await eventually(unsent, (ids) => ids.length === 0, 90_000);
    const deliveries = () => emails.map((email) => smtp.to(email).length);
    expect(deliveries()).toEqual(Array(count).fill(1));
    // Nothing is still being handled, so no duplicate can still be on its way.
    await eventually(
      () => sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${mailQueue.name} and state in ('created', 'active', 'retry')`.execute(db()),
      (result) => result.rows[0]?.n === 0,
      90_000,
    );
    for (const [n, email] of emails.entries()) {
      const received = smtp.to(email);
      expect(received, email).toHaveLength(1);
      expect(received[0]?.parsed.subject).toBe(`Note ${n}`);
    }
    const rows = await db().selectFrom('mail_outbox').select(['attempts', 'status', 'last_error']).where('recipient', 'in', emails).execute();
    expect(rows).toEqual(Array(count).fill({ attempts: 1, status: 'sent', last_error: null }));
    // Both senders took part: each handled jobs of the outbox (sent a mail, or found it sent).
    const handled = (lines: string[]) => lines.filter((line) => /"msg":"mail (sent|already handled)"/.test(line)).length;
    expect(handled(logs.a)).toBeGreaterThan(0);
    expect(handled(logs.b)).toBeGreaterThan(0);
    expect(handled(logs.a) + handled(logs.b)).toBe(count * 4);
    await stopApp(a);
    await stopApp(b);
  }, 120_000);
});

describe('a mail server that accepts connections and never answers', () => {
  it('holds a sender, not the database: requests go on while the mail waits in "sending"', async () => {
    const sockets = new Set<Socket>();
    let hangUp = false;
    const silent = createServer((socket) => (hangUp ? socket.destroy() : void sockets.add(socket)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const app = await startApp({ SMTP_URL: `smtp://127.0.0.1:${port}?greetingTimeout=120000&connectionTimeout=120000` });
      const [email = ''] = await inviteMany(app, 1);
      const mail = await eventually(
        () => db().selectFrom('mail_outbox').select(['id', 'status']).where('recipient', '=', email).executeTakeFirstOrThrow(),
        (row) => row.status === 'sending',
      );
      await eventually(async () => sockets.size, (count) => count > 0);
      // The sender waits for a greeting; the app (one connection on PGlite) serves on.
      const owner = await registerUser(app);
      const home = await homeOf(app, owner);
      const invited = await app.inject({ method: 'POST', url: `/api/households/${home.id}/invitations`, headers: owner.headers, payload: { email: uniqueEmail(), role: 'viewer' } });
      expect(invited.statusCode).toBe(201);
      expect((await db().selectFrom('mail_outbox').select('status').where('id', '=', mail.id).executeTakeFirstOrThrow()).status).toBe('sending');
      // Hanging up ends the attempt (and the retries' at once): the mail goes back to pending.
      hangUp = true;
      for (const socket of sockets) socket.destroy();
      const released = await eventually(
        () => db().selectFrom('mail_outbox').select(['status', 'last_error']).where('id', '=', mail.id).executeTakeFirstOrThrow(),
        (row) => row.status === 'pending',
      );
      expect(released.last_error).toEqual(expect.any(String));
      await stopApp(app);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
