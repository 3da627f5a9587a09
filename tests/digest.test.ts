import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { digestQueue } from '../src/modules/digest/schemas.ts';
import { runDigests } from '../src/modules/digest/service.ts';
import { buildTestApp, closeTestApp, type TestContext, testConfig } from './helpers/app.ts';
import { createEvent } from './helpers/events.ts';
import { startTestSmtp, type TestSmtp } from './helpers/smtp.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { homeOf } from './helpers/households.ts';
import { vaultCalls } from './helpers/vault.ts';
import { create } from './helpers/views.ts';

// The daily digest on a clock the test sets: the app is built with it (its per-minute job reads
// it too), and runs are also started directly with an instant, as the job does.

let smtp: TestSmtp;
let context: TestContext;
let clock = new Date('2026-11-01T00:00:00Z');
const env = () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'UMBRA Test <umbra@mail.test>' });
const options = { jobs: { pollingIntervalSeconds: 0.5 }, now: () => clock };

beforeAll(async () => {
  smtp = await startTestSmtp();
  context = await buildTestApp(env(), options);
});
afterAll(async () => {
  await closeTestApp(context);
  await smtp.stop();
});

// Each test starts long before its dates: the app's own per-minute job reads this clock too, and
// must not find a user a test is still setting up at the previous test's instant (a UTC user
// registered at 19:00 on 4 December, with a todo due on the 6th, would get that day's digest).
beforeEach(() => {
  clock = new Date('2026-01-01T00:00:00Z');
});

const app = () => context.app;
const db = () => context.testDatabase.database.db;
const run = (at: string, target = app()) => {
  clock = new Date(at);
  return runDigests({ db: target.db, mail: target.mail }, clock);
};

async function digestUser(timezone: string, email_digest = true): Promise<SignedIn> {
  const user = await registerUser(app());
  const response = await app().inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { timezone, email_digest } });
  expect(response.statusCode, response.body).toBe(200);
  return user;
}

/** The digests queued for the user (the outbox rows), oldest first. */
const queued = (user: SignedIn) =>
  db().selectFrom('mail_outbox').select(['id', 'params']).where('recipient', '=', user.email).where('template', '=', 'daily-digest').orderBy('created_at').execute();
const runsOf = async (user: SignedIn) =>
  (await db().selectFrom('digest_runs').select([sql<string>`to_char(local_date, 'YYYY-MM-DD')`.as('date'), 'entries']).where('user_id', '=', user.id).orderBy('local_date').execute()).map(
    (row) => row.date,
  );
const received = async (user: SignedIn, count = 1) => smtp.waitFor(count, (mail) => mail.envelope.to.includes(user.email));

describe('the daily digest', () => {
  it('goes out once at 08:00 local, listing the next 7 days', async () => {
    const user = await digestUser('Europe/Berlin');
    await createEvent(app(), user, { title: 'Dentist', start_at: '2026-12-02T10:30:00+01:00', end_at: '2026-12-02T11:00:00+01:00' });
    await createEvent(app(), user, { title: 'Too late', start_at: '2026-12-08T00:30:00+01:00', end_at: '2026-12-08T01:00:00+01:00' });
    await create(app(), user, '/api/todos', { title: 'Pay rent', due_date: '2026-12-01' });
    await create(app(), user, '/api/todos', { title: 'Far away', due_date: '2026-12-08' });
    await create(app(), user, '/api/reminders', { title: 'Call mum', remind_at: '2026-12-07T19:00:00+01:00' });
    // Reminded 30 days before expiry: on 5 December (its 180-day reminder was in July).
    await vaultCalls(context).passport(user, (await homeOf(app(), user)).id, { expiry_date: '2027-01-04' });

    await run('2026-12-01T06:59:00Z'); // 07:59 in Berlin
    expect(await queued(user)).toEqual([]);
    await run('2026-12-01T07:00:00Z'); // 08:00
    await run('2026-12-01T07:01:00Z');
    await run('2026-12-01T22:59:00Z'); // 23:59, the same day
    expect(await queued(user)).toHaveLength(1);
    expect(await runsOf(user)).toEqual(['2026-12-01']);

    const [mail] = await received(user);
    expect(mail?.parsed.subject).toBe('Your next 7 days: 4 items');
    const text = mail?.parsed.text ?? '';
    expect(text).toContain('Tuesday 1 December 2026\n  all day  To do: Pay rent');
    expect(text).toContain('Wednesday 2 December 2026\n  10:30    Event: Dentist');
    expect(text).toContain('Saturday 5 December 2026\n  all day  Vault: Passport: expiry date 2027-01-04 (Home)');
    expect(text).toContain('Monday 7 December 2026\n  19:00    Reminder: Call mum');
    expect(text).not.toContain('P1234567');
    expect(text).not.toContain('Too late');
    expect(text).not.toContain('Far away');
    // The next day brings the next one.
    await run('2026-12-02T07:00:00Z');
    expect(await queued(user)).toHaveLength(2);
  });

  it('is not sent with email_digest off (the default), nor when nothing is due', async () => {
    const off = await digestUser('UTC', false);
    const never = await registerUser(app());
    const idle = await digestUser('UTC');
    for (const user of [off, never]) await create(app(), user, '/api/todos', { title: 'Due', due_date: '2026-12-03' });
    await run('2026-12-03T09:00:00Z');
    for (const user of [off, never, idle]) expect(await queued(user)).toEqual([]);
    expect(await runsOf(off)).toEqual([]);
    // Nothing due: the day is claimed (not looked at again) and no mail goes out.
    expect(await runsOf(idle)).toEqual(['2026-12-03']);
  });

  it('reaches a user at UTC+14 and one at UTC-11 at their own 08:00', async () => {
    const east = await digestUser('Pacific/Kiritimati');
    const west = await digestUser('Pacific/Pago_Pago');
    for (const user of [east, west]) await create(app(), user, '/api/todos', { title: 'Water plants', due_date: '2026-12-05' });
    // 18:00 UTC: 08:00 on 5 December in Kiritimati, 07:00 on 4 December in Pago Pago.
    await run('2026-12-04T17:59:00Z');
    expect([await runsOf(east), await runsOf(west)]).toEqual([[], []]);
    await run('2026-12-04T18:00:00Z');
    expect([await runsOf(east), await runsOf(west)]).toEqual([['2026-12-05'], []]);
    await run('2026-12-04T19:00:00Z'); // 08:00 on 4 December in Pago Pago
    expect([await runsOf(east), await runsOf(west)]).toEqual([['2026-12-05'], ['2026-12-04']]);
    for (const user of [east, west]) expect(await queued(user)).toHaveLength(1);
    expect((await received(east))[0]?.parsed.text).toContain('Saturday 5 December 2026\n  all day  To do: Water plants');
    expect((await received(west))[0]?.parsed.text).toContain('Saturday 5 December 2026\n  all day  To do: Water plants');
  });

  it('goes out once with two processes running at the same moment', async () => {
    const user = await digestUser('UTC');
    await create(app(), user, '/api/todos', { title: 'Once only', due_date: '2026-12-06' });
    const second = await buildApp(testConfig(env()), { database: context.testDatabase.database, now: () => clock });
    await second.ready();
    try {
      await Promise.all([run('2026-12-06T08:00:00Z'), run('2026-12-06T08:00:00Z', second), run('2026-12-06T08:00:00Z', second)]);
    } finally {
      await second.close();
    }
    expect(await queued(user)).toHaveLength(1);
    await received(user);
  });
});

describe('a digest missed while the server was down', () => {
  const restart = async (at: string) => {
    await app().close();
    clock = new Date(at);
    context.app = await buildApp(testConfig(env()), { ...options, database: context.testDatabase.database });
    await app().ready();
  };

  it('goes out when the server is back the same local day, through the per-minute job', async () => {
    const user = await digestUser('America/New_York');
    await create(app(), user, '/api/todos', { title: 'Errand', due_date: '2026-12-10' });
    // The job is pg-boss's schedule, kept in the database for every process.
    const schedule = await sql<{ cron: string }>`select cron from pgboss.schedule where name = ${digestQueue.name}`.execute(db());
    expect(schedule.rows).toEqual([{ cron: '* * * * *' }]);

    await run('2026-12-09T11:00:00Z'); // 06:00 in New York; then the server stops until 15:00
    await restart('2026-12-09T20:00:00Z');
    // The restarted server's job (sent now rather than waiting for the minute) sends the missed digest.
    await db().transaction().execute((trx) => app().jobs.send(trx, digestQueue, {}));
    const [mail] = await received(user);
    expect(mail?.parsed.text).toContain('Thursday 10 December 2026\n  all day  To do: Errand');
    expect(await runsOf(user)).toEqual(['2026-12-09']);
  });

  it('is not made up for once that local day has ended', async () => {
    const user = await digestUser('America/New_York');
    await create(app(), user, '/api/todos', { title: 'Errand', due_date: '2026-12-12' });
    await run('2026-12-10T11:00:00Z'); // 06:00 on 10 December; down until 07:30 on the 11th
    await restart('2026-12-11T12:30:00Z');
    await run('2026-12-11T12:30:00Z');
    expect(await runsOf(user)).toEqual([]);
    await run('2026-12-11T13:00:00Z'); // 08:00 on the 11th: that day's digest, and only that one
    expect(await runsOf(user)).toEqual(['2026-12-11']);
    expect(await queued(user)).toHaveLength(1);
  });
});
