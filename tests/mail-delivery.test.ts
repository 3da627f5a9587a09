import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailQueue } from '../src/platform/mail/plugin.ts';
import { buildTestApp, closeTestApp, type TestContext } from './helpers/app.ts';
import { eventually } from './helpers/eventually.ts';
import { homeOf } from './helpers/households.ts';
import { linkIn, type ReceivedMail, startTestSmtp, type TestSmtp } from './helpers/smtp.ts';
import { registerUser, type SignedIn, uniqueEmail } from './helpers/users.ts';

// Invitation mails over a real SMTP server (smtp-server in this process, on 127.0.0.1), through
// the outbox and the pg-boss sender: what arrives, the link that works, and the server down,
// refusing for a while, or refusing for good. Retries wait 1 s (2 s, 4 s, ...) instead of 30 s.

let smtp: TestSmtp;
let context: TestContext;
const logLines: string[] = [];

beforeAll(async () => {
  smtp = await startTestSmtp();
  context = await buildTestApp(
    { SMTP_URL: smtp.url, MAIL_FROM: 'UMBRA Test <umbra@mail.test>', PUBLIC_URL: 'https://umbra.example.test', LOG_LEVEL: 'trace' },
    { jobs: { retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 }, logStream: { write: (line) => void logLines.push(line) } },
  );
});
afterAll(async () => {
  await closeTestApp(context);
  await smtp.stop();
});

const app = () => context.app;
const db = () => context.testDatabase.database.db;

async function inviteSomeone(owner: SignedIn, email = uniqueEmail('guest'), role = 'member') {
  const home = await homeOf(app(), owner);
  const response = await app().inject({ method: 'POST', url: `/api/households/${home.id}/invitations`, headers: owner.headers, payload: { email, role } });
  expect(response.statusCode, response.body).toBe(201);
  const invitation: { id: string } = response.json();
  const mail = await db().selectFrom('mail_outbox').selectAll().where(sql<boolean>`params->>'invitation_id' = ${invitation.id}`).executeTakeFirstOrThrow();
  return { home, email, invitation, mail };
}

const outboxRow = (id: string) => db().selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const mailTo = async (email: string): Promise<ReceivedMail> => {
  const [mail] = await smtp.waitFor(1, (candidate) => candidate.envelope.to.includes(email));
  if (!mail) throw new Error('no mail');
  return mail;
};

describe('an invitation mail', () => {
  it('arrives: recipient, sender, subject, a stable Message-ID, and the accept link whose token works', async () => {
    const owner = await registerUser(app(), { display_name: 'Ada Lovelace' });
    const { home, email, mail: row } = await inviteSomeone(owner, uniqueEmail('guest'), 'viewer');
    const mail = await mailTo(email);
    expect(mail.envelope).toEqual({ from: 'umbra@mail.test', to: [email] });
    expect(mail.parsed.from?.text).toBe('"UMBRA Test" <umbra@mail.test>');
    expect(mail.parsed.subject).toBe('Ada Lovelace invited you to the household "Home" on UMBRA');
    expect(mail.parsed.messageId).toBe(row.message_id);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.text).toContain('as a viewer');

    const link = linkIn(mail);
    expect(`${link.origin}${link.pathname}`).toBe('https://umbra.example.test/invitations/accept');
    const token = link.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[\w-]{43}$/);
    const sent = await eventually(() => outboxRow(row.id), (current) => current.status === 'sent');
    expect(sent).toMatchObject({ attempts: 1, last_error: null, claimed_until: null, sent_at: expect.any(Date) });

    const guest = await registerUser(app(), { email });
    const accepted = await app().inject({ method: 'POST', url: '/api/household-invitations/accept', headers: guest.headers, payload: { token } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: home.id, my_role: 'viewer' });
    // Used once, the same link is a 404.
    expect((await app().inject({ method: 'POST', url: '/api/household-invitations/accept', headers: guest.headers, payload: { token } })).statusCode).toBe(404);
  });

  it('its token is in no log line, no response and nowhere in the database', async () => {
    const owner = await registerUser(app());
    const { email, mail: row } = await inviteSomeone(owner);
    const token = linkIn(await mailTo(email)).searchParams.get('token') ?? '';
    await eventually(() => outboxRow(row.id), (current) => current.status === 'sent');
    const guest = await registerUser(app(), { email });
    const inbox = await app().inject({ method: 'GET', url: '/api/household-invitations', headers: guest.headers });
    const accepted = await app().inject({ method: 'POST', url: '/api/household-invitations/accept', headers: guest.headers, payload: { token } });
    expect(accepted.statusCode).toBe(200);
    for (const body of [inbox.body, accepted.body]) expect(body).not.toContain(token);

    // The log is really captured at trace level, the sender's lines included.
    const log = logLines.join('');
    expect(log).toContain('"msg":"mail sent"');
    expect(log).toContain('/api/household-invitations/accept');
    expect(log).not.toContain(token);
    const everywhere = await sql<{ text: string }>`
      select row_to_json(i)::text as text from household_invitations i
      union all select row_to_json(m)::text from mail_outbox m
      union all select row_to_json(a)::text from audit_log a
      union all select row_to_json(j)::text from pgboss.job j
      union all select row_to_json(j)::text from pgboss.archive j`.execute(db());
    expect(everywhere.rows.length).toBeGreaterThan(3);
    for (const { text } of everywhere.rows) expect(text).not.toContain(token);
  });

  it('with the mail server down: the invitation succeeds; the mail arrives, through the retries, once it is back', async () => {
    const owner = await registerUser(app());
    await smtp.stop();
    try {
      const { email, mail: row } = await inviteSomeone(owner);
      const failed = await eventually(() => outboxRow(row.id), (current) => current.attempts >= 1 && current.status === 'pending');
      expect(failed.last_error).toMatch(/ECONNREFUSED/);
      expect(smtp.to(email)).toEqual([]);
      await smtp.restart();
      const mail = await mailTo(email);
      expect(mail.parsed.messageId).toBe(row.message_id);
      const sent = await eventually(() => outboxRow(row.id), (current) => current.status === 'sent');
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      expect(smtp.to(email)).toHaveLength(1);
    } finally {
      await smtp.restart();
    }
  });

  it('a 451 (try again later) is retried with the same Message-ID, and delivered once', async () => {
    const owner = await registerUser(app());
    smtp.refuseNext(451, 1, 'Try again later');
    const { email, mail: row } = await inviteSomeone(owner);
    const mail = await mailTo(email);
    expect(mail.parsed.messageId).toBe(row.message_id);
    const sent = await eventually(() => outboxRow(row.id), (current) => current.status === 'sent');
    expect(sent).toMatchObject({ attempts: 2, last_error: expect.stringMatching(/451 Try again later/) });
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('a 554 (refused for good) is not retried: the mail stays in the outbox as failed, with the reason', async () => {
    const owner = await registerUser(app());
    smtp.refuseNext(554, 1, 'No such user here');
    const { email, mail: row } = await inviteSomeone(owner);
    const failed = await eventually(() => outboxRow(row.id), (current) => current.status === 'failed');
    expect(failed).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/554 No such user here/), sent_at: null });
    const job = await eventually(
      () => sql<{ state: string }>`select state::text from pgboss.job where id = ${row.id}::uuid`.execute(db()),
      (result) => result.rows[0]?.state === 'completed',
    );
    expect(job.rows).toEqual([{ state: 'completed' }]);
    expect(smtp.to(email)).toEqual([]);
  });

  it('a mail already sent is never sent again, whatever job names it', async () => {
    const owner = await registerUser(app());
    const { email, mail: row } = await inviteSomeone(owner);
    await mailTo(email);
    await eventually(() => outboxRow(row.id), (current) => current.status === 'sent');
    const extra = await db().transaction().execute((trx) => app().jobs.send(trx, mailQueue, { outboxId: row.id }));
    expect(extra).toEqual(expect.any(String));
    await eventually(
      () => sql<{ state: string }>`select state::text from pgboss.job where id = ${extra}::uuid`.execute(db()),
      (result) => result.rows[0]?.state === 'completed',
    );
    expect(smtp.to(email)).toHaveLength(1);
    expect((await outboxRow(row.id)).attempts).toBe(1);
  });
});
