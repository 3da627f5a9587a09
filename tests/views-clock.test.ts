import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { UserClock } from '../src/modules/settings/queries.ts';
import { buildDashboard } from '../src/modules/dashboard/service.ts';
import { daysFromToday } from '../src/platform/time/day.ts';
import { buildUpcoming } from '../src/modules/upcoming/service.ts';
import { useTestApp } from './helpers/app.ts';
import { createEvent } from './helpers/events.ts';
import { homeOf } from './helpers/households.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { create } from './helpers/views.ts';

const t = useTestApp();

// The views take the clock as an argument (the routes read it from the database), so the days
// the real clock rarely shows can be tested here: daylight-saving changes and 29 February.

const clock = (timezone: string, now: string): UserClock => ({ timezone, now: new Date(now) });
const hours = (span: { window: { from: Date; to: Date } }) => (span.window.to.getTime() - span.window.from.getTime()) / 3_600_000;

describe('whole days in the user zone', () => {
  it('are 23 or 25 hours long on daylight-saving days', () => {
    const spring = daysFromToday(clock('Europe/Berlin', '2026-03-29T10:00:00Z'), 1);
    expect(spring).toEqual({
      dates: { from: '2026-03-29', to: '2026-03-30' },
      window: { from: new Date('2026-03-28T23:00:00Z'), to: new Date('2026-03-29T22:00:00Z') },
    });
    expect(hours(daysFromToday(clock('Europe/Berlin', '2026-10-25T10:00:00Z'), 1))).toBe(25);
    expect(hours(daysFromToday(clock('America/New_York', '2026-03-05T12:00:00Z'), 7))).toBe(7 * 24 - 1);
  });

  it('start at the first instant of a day whose midnight does not exist', () => {
    // Chile moves its clocks from 24:00 to 01:00 on the first Sunday of September.
    const span = daysFromToday(clock('America/Santiago', '2026-09-06T15:00:00Z'), 1);
    expect(span.window.from).toEqual(new Date('2026-09-06T04:00:00Z'));
    expect(span.window.to).toEqual(new Date('2026-09-07T03:00:00Z'));
  });

  it('follow the user date, not the UTC date', () => {
    expect(daysFromToday(clock('Pacific/Kiritimati', '2026-06-30T12:00:00Z'), 1).dates.from).toBe('2026-07-01');
    expect(daysFromToday(clock('Pacific/Pago_Pago', '2026-07-01T08:00:00Z'), 1).dates.from).toBe('2026-06-30');
  });
});

describe('the dashboard on a daylight-saving day', () => {
  it('lists the occurrences of the 23-hour day, not an hour more or less', async () => {
    const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
    const event = (title: string, start_at: string, end_at: string) => createEvent(t.app, user, { title, start_at, end_at });
    await event('Before', '2026-03-28T23:00:00+01:00', '2026-03-29T00:00:00+01:00');
    await event('First hour', '2026-03-29T00:00:00+01:00', '2026-03-29T00:30:00+01:00');
    await event('Last half hour', '2026-03-29T23:30:00+02:00', '2026-03-30T00:00:00+02:00');
    await event('Next day', '2026-03-30T00:00:00+02:00', '2026-03-30T01:00:00+02:00');
    await createEvent(t.app, user, { title: 'Weekly', start_at: '2026-03-22T09:00:00+01:00', end_at: '2026-03-22T10:00:00+01:00', rrule: 'FREQ=WEEKLY' });
    const body = await buildDashboard(t.db, user.id, clock('Europe/Berlin', '2026-03-29T10:00:00Z'));
    expect(body.date).toBe('2026-03-29');
    expect(body.events_today.map((item) => [item.title, item.start_at.toISOString()])).toEqual([
      ['First hour', '2026-03-28T23:00:00.000Z'],
      // 09:00 in Berlin stays 09:00: now UTC+2.
      ['Weekly', '2026-03-29T07:00:00.000Z'],
      ['Last half hour', '2026-03-29T21:30:00.000Z'],
    ]);
  });
});

describe('birthdays on 29 February', () => {
  it('fall on 28 February in other years, with the age turned that day', async () => {
    const user = await registerUser(t.app, { timezone: 'UTC' });
    const leapling = await create(t.app, user, '/api/people', { name: 'Leap Lee', birthday: '2000-02-29' });
    const march = await create(t.app, user, '/api/people', { name: 'March Max', birthday: '1999-03-01' });
    const birthdays = async (now: string) => (await buildDashboard(t.db, user.id, clock('UTC', now))).birthdays;

    expect(await birthdays('2027-02-20T12:00:00Z')).toEqual([
      { person_id: leapling.id, name: 'Leap Lee', date: '2027-02-28', age: 27 },
      { person_id: march.id, name: 'March Max', date: '2027-03-01', age: 28 },
    ]);
    expect(await birthdays('2028-02-20T12:00:00Z')).toEqual([
      { person_id: leapling.id, name: 'Leap Lee', date: '2028-02-29', age: 28 },
      { person_id: march.id, name: 'March Max', date: '2028-03-01', age: 29 },
    ]);
    expect((await birthdays('2027-02-28T23:00:00Z'))[0]).toMatchObject({ date: '2027-02-28', age: 27 });
    // After 28 February 2027 the next one is 29 February 2028, more than 30 days away.
    expect((await birthdays('2027-03-01T00:00:00Z')).map((b) => b.name)).toEqual(['March Max']);
  });
});

/** Counts the statements a Kysely instance runs (one result each). */
function counting() {
  const counter = { statements: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      counter.statements++;
      return args.result;
    },
  };
  return { counter, db: t.db.withPlugin(plugin) };
}

async function fill(user: SignedIn, n: number) {
  const { id: home } = await homeOf(t.app, user);
  for (let i = 0; i < n; i++) {
    await createEvent(t.app, user, { title: `event ${i}`, start_at: '2026-05-04T09:00:00Z', end_at: '2026-05-04T10:00:00Z', rrule: i % 2 ? 'FREQ=DAILY' : null });
    await create(t.app, user, '/api/todos', { title: `todo ${i}`, due_date: '2026-05-05' });
    await create(t.app, user, '/api/reminders', { title: `reminder ${i}`, remind_at: '2026-05-04T08:00:00Z' });
    const project = await create(t.app, user, '/api/projects', { name: `project ${i}` });
    await create(t.app, user, `/api/projects/${project.id}/tasks`, { title: `task ${i}`, due_date: '2026-05-06' });
    await create(t.app, user, '/api/people', { name: `person ${i}`, birthday: '1990-05-07' });
    // Vault items of the active household ("Home"): a renewal whose 7-day reminder falls in the
    // week (and is due on its day), and a custom reminder on the item.
    const item = await create(t.app, user, `/api/households/${home}/items`, {
      category: 'insurance', subcategory: 'health', name: `policy ${i}`, fields: { policy_number: `P-${i}`, renewal_date: '2026-05-11' },
    });
    await create(t.app, user, `/api/households/${home}/items/${item.id}/reminders`, { remind_on: '2026-05-05' });
  }
}

describe('the number of statements', () => {
  it('does not grow with the data: a handful per view, none per item', async () => {
    const few = await registerUser(t.app);
    const many = await registerUser(t.app);
    await fill(few, 1);
    await fill(many, 12);
    const now = clock('UTC', '2026-05-04T09:30:00Z');
    const statements = async (run: (db: ReturnType<typeof counting>['db']) => Promise<unknown>) => {
      const { counter, db } = counting();
      await run(db);
      return counter.statements;
    };
    const dashboardFew = await statements((db) => buildDashboard(db, few.id, now));
    const dashboardMany = await statements((db) => buildDashboard(db, many.id, now));
    expect(dashboardMany).toBe(dashboardFew);
    // Events (own and invited series in one statement, then their overrides) and one statement
    // per other part (the active household's vault is one).
    expect(dashboardMany).toBe(9);
    const upcomingFew = await statements((db) => buildUpcoming(db, few.id, now, 7));
    const upcomingMany = await statements((db) => buildUpcoming(db, many.id, now, 7));
    expect(upcomingMany).toBe(upcomingFew);
    expect(upcomingMany).toBe(7);
    const busy = await buildDashboard(t.db, many.id, now);
    expect(busy.events_today).toHaveLength(12);
    expect(busy.reminders.due).toHaveLength(12);
    // Due: both computed reminders (11 April and 4 May, for a date not yet past); the custom one is tomorrow.
    expect(busy.vault).toMatchObject({ household: { name: 'Home' }, reminders_due: 24 });
    expect(busy.vault?.expiring).toHaveLength(12);
    // Per item: its 7-day reminder (4 May) and its custom one (5 May); the 30-day one is before the week.
    expect((await buildUpcoming(t.db, many.id, now, 7)).items.length).toBe(6 * 7 + 6 + 12 * 4 + 12 * 2);
  });
});
