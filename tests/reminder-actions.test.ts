import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { daysInMonth, isLeapYear, wallClock } from './helpers/wall-clock.ts';

// PATCH /api/reminders/{id}/dismiss and /snooze over HTTP, on the real clock. Repeated dismissals
// walk a series forward occurrence by occurrence, so the calendar rules are checked whatever
// today is; src/reminders/occurrences.ts is also tested with a fixed "now".

const t = useTestApp();

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

async function createReminder(user: SignedIn, payload: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url: '/api/reminders', headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const action = (user: SignedIn, id: string, name: 'dismiss' | 'snooze', payload?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PATCH', url: `/api/reminders/${id}/${name}`, headers: { ...user.headers, ...headers }, payload });

const read = async (user: SignedIn, id: string) => (await t.app.inject({ method: 'GET', url: `/api/reminders/${id}`, headers: user.headers })).json();

/** Dismisses `times` times and returns each new remind_at. */
async function dismissals(user: SignedIn, id: string, times: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < times; i++) {
    const response = await action(user, id, 'dismiss');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().is_dismissed).toBe(false);
    seen.push(response.json().remind_at);
  }
  return seen;
}

describe('PATCH /api/reminders/{id}/dismiss', () => {
  it('dismisses a one-off reminder at now, ends its snooze, and a second dismiss changes nothing', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Once', remind_at: fromNow(-HOUR) });
    expect((await action(user, reminder.id, 'snooze', { minutes: 10 })).statusCode).toBe(200);
    const before = Date.now();
    const response = await action(user, reminder.id, 'dismiss');
    expect(response.statusCode).toBe(200);
    const dismissed = response.json();
    expect(dismissed).toMatchObject({ is_dismissed: true, snoozed_until: null, remind_at: reminder.remind_at, version: 3 });
    expect(response.headers.etag).toBe('"3"');
    expect(new Date(dismissed.dismissed_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(dismissed.dismissed_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const again = await action(user, reminder.id, 'dismiss');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(dismissed);
    expect(again.headers.etag).toBe('"3"');
  });

  it('moves a daily reminder to its next occurrence after now, at the same local time (Pacific/Pago_Pago, UTC-11)', async () => {
    const zone = 'Pacific/Pago_Pago';
    const user = await registerUser(t.app, { timezone: zone });
    const first = fromNow(-3 * 24 * HOUR - 2 * HOUR);
    const reminder = await createReminder(user, { title: 'Pills', remind_at: first, repeat: 'daily' });
    const [next, after] = await dismissals(user, reminder.id, 2);
    const nextTime = new Date(next ?? '').getTime();
    expect(nextTime).toBeGreaterThan(Date.now());
    expect(nextTime).toBeLessThanOrEqual(Date.now() + 24 * HOUR);
    expect(wallClock(next ?? '', zone).time).toBe(wallClock(first, zone).time);
    // Dismissing the upcoming occurrence skips it: the one after.
    expect(new Date(after ?? '').getTime() - nextTime).toBe(24 * HOUR);
  });

  it('keeps a weekly reminder on Monday 09:00 in America/New_York across daylight-saving changes', async () => {
    const zone = 'America/New_York';
    const user = await registerUser(t.app, { timezone: zone });
    const reminder = await createReminder(user, { title: 'Standup', remind_at: '2026-01-05T09:00:00-05:00', repeat: 'weekly' });
    // 35 weeks always include a change between EST (-05:00) and EDT (-04:00).
    const seen = (await dismissals(user, reminder.id, 35)).map((at) => wallClock(at, zone));
    expect(new Set(seen.map((clock) => clock.offset))).toEqual(new Set(['GMT-05:00', 'GMT-04:00']));
    for (const [i, clock] of seen.entries()) {
      expect(clock).toMatchObject({ weekday: 'Mon', time: '09:00' });
      if (i > 0) expect(Date.parse(clock.date) - Date.parse(seen[i - 1]?.date ?? '')).toBe(7 * 24 * HOUR);
    }
  });

  it('moves a monthly reminder on the 31st to each month’s last day and back to the 31st (Europe/Berlin)', async () => {
    const zone = 'Europe/Berlin';
    const user = await registerUser(t.app, { timezone: zone });
    const reminder = await createReminder(user, { title: 'Rent', remind_at: '2026-01-31T09:00:00+01:00', repeat: 'monthly' });
    const seen: ReturnType<typeof wallClock>[] = [];
    for (let i = 0; i < 14; i++) {
      // Other changes in between must not move the series off its day.
      if (i === 3) await t.app.inject({ method: 'PATCH', url: `/api/reminders/${reminder.id}`, headers: user.headers, payload: { title: 'Rent!' } });
      seen.push(wallClock((await dismissals(user, reminder.id, 1))[0] ?? '', zone));
    }
    expect(new Date((await read(user, reminder.id)).remind_at).getTime()).toBeGreaterThan(Date.now());
    expect(seen.some((clock) => clock.month === 2)).toBe(true);
    for (const [i, clock] of seen.entries()) {
      expect(clock.time).toBe('09:00');
      expect(clock.day).toBe(Math.min(31, daysInMonth(clock.year, clock.month)));
      const previous = seen[i - 1];
      if (previous) expect(clock.year * 12 + clock.month).toBe(previous.year * 12 + previous.month + 1);
    }
  });

  it('moves a yearly reminder on 29 February to 28 February in other years (Pacific/Kiritimati, UTC+14)', async () => {
    const zone = 'Pacific/Kiritimati';
    const user = await registerUser(t.app, { timezone: zone });
    const reminder = await createReminder(user, { title: 'Leap birthday', remind_at: '2024-02-29T09:00:00+14:00', repeat: 'yearly' });
    const seen = (await dismissals(user, reminder.id, 5)).map((at) => wallClock(at, zone));
    for (const [i, clock] of seen.entries()) {
      expect(clock).toMatchObject({ month: 2, day: isLeapYear(clock.year) ? 29 : 28, time: '09:00' });
      if (i > 0) expect(clock.year).toBe((seen[i - 1]?.year ?? 0) + 1);
    }
    expect(seen.some((clock) => clock.day === 29)).toBe(true);
  });

  it('keeps the series when remind_at and repeat are sent unchanged, and starts it anew when they change', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Invoice', remind_at: '2026-01-31T09:00:00Z', repeat: 'monthly' });
    const url = `/api/reminders/${reminder.id}`;
    // Walk to a clamped occurrence (a month shorter than 31 days), then send it back as it is.
    let current: string;
    do current = (await dismissals(user, reminder.id, 1))[0] ?? '';
    while (wallClock(current, 'UTC').day === 31);
    const resent = await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: { remind_at: current, repeat: 'monthly' } });
    expect(resent.json().remind_at).toBe(current);
    expect(wallClock((await dismissals(user, reminder.id, 1))[0] ?? '', 'UTC').day).toBe(31);

    await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: { remind_at: '2026-01-15T10:00:00Z' } });
    const seen = (await dismissals(user, reminder.id, 3)).map((at) => wallClock(at, 'UTC'));
    expect(seen.map((clock) => [clock.day, clock.time])).toEqual([[15, '10:00'], [15, '10:00'], [15, '10:00']]);

    await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: { repeat: 'weekly' } });
    const [first, second] = await dismissals(user, reminder.id, 2);
    expect(new Date(second ?? '').getTime() - new Date(first ?? '').getTime()).toBe(7 * 24 * HOUR);
  });

  it('honours If-Match, and is a 404 for another user or an unknown id', async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Mine', remind_at: fromNow(-HOUR) });
    expect((await action(user, reminder.id, 'dismiss', undefined, { 'if-match': '"7"' })).statusCode).toBe(412);
    expect((await action(stranger, reminder.id, 'dismiss')).statusCode).toBe(404);
    expect((await action(user, '00000000-0000-4000-8000-000000000000', 'dismiss')).statusCode).toBe(404);
    expect((await action(user, 'nope', 'dismiss')).statusCode).toBe(400);
    expect(await read(user, reminder.id)).toEqual(reminder);
    const matching = await action(user, reminder.id, 'dismiss', undefined, { 'if-match': '"1"' });
    expect(matching.json()).toMatchObject({ is_dismissed: true, version: 2 });
  });
});

describe('PATCH /api/reminders/{id}/snooze', () => {
  it('snoozes for some minutes from now, bumping the version', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Tea', remind_at: fromNow(-HOUR) });
    const before = Date.now();
    const response = await action(user, reminder.id, 'snooze', { minutes: 30 });
    expect(response.statusCode).toBe(200);
    const snoozed = new Date(response.json().snoozed_until).getTime();
    expect(snoozed).toBeGreaterThanOrEqual(before + 30 * MINUTE - 1000);
    expect(snoozed).toBeLessThanOrEqual(Date.now() + 30 * MINUTE + 1000);
    expect(response.json()).toMatchObject({ version: 2, remind_at: reminder.remind_at, is_dismissed: false });
    expect(response.headers.etag).toBe('"2"');
    const week = await action(user, reminder.id, 'snooze', { minutes: 10080 });
    expect(new Date(week.json().snoozed_until).getTime()).toBeGreaterThan(Date.now() + 7 * 24 * HOUR - 60_000);
  });

  it('snoozes until an instant, given with any offset', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Tea', remind_at: fromNow(-HOUR) });
    const until = new Date(Date.now() + 2 * HOUR);
    until.setUTCMilliseconds(0);
    // The same instant written as a wall clock one hour ahead of UTC.
    const withOffset = `${new Date(until.getTime() + HOUR).toISOString().slice(0, 19)}+01:00`;
    const response = await action(user, reminder.id, 'snooze', { until: withOffset });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().snoozed_until).toBe(until.toISOString());
  });

  it.each([
    [{ until: '2020-01-01T00:00:00Z' }, 'until', 'Must be in the future'],
    [{ minutes: 5, until: '2099-01-01T00:00:00Z' }, 'until', 'Give either minutes or until, not both'],
    [{}, 'body', 'Give minutes (1..10080) or until (a future instant)'],
    [{ minutes: 0 }, 'minutes', undefined],
    [{ minutes: 10081 }, 'minutes', undefined],
    [{ minutes: 1.5 }, 'minutes', undefined],
    [{ minutes: '5' }, 'minutes', undefined],
    [{ until: '2099-01-01T00:00:00' }, 'until', undefined],
    [{ minutes: 5, extra: true }, 'extra', 'Unknown field'],
  ])('refuses %o naming %s, changing nothing', async (payload, path, message) => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Tea', remind_at: fromNow(-HOUR) });
    const response = await action(user, reminder.id, 'snooze', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path, ...(message ? { message } : {}) })]);
    expect(await read(user, reminder.id)).toEqual(reminder);
  });

  it('refuses a missing body with 400', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Tea', remind_at: fromNow(-HOUR) });
    expect((await action(user, reminder.id, 'snooze')).statusCode).toBe(400);
  });

  it('is a 409 on a dismissed reminder, a 412 on a stale If-Match and a 404 for another user', async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const done = await createReminder(user, { title: 'Done', remind_at: fromNow(-HOUR), is_dismissed: true });
    const conflict = await action(user, done.id, 'snooze', { minutes: 5 });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().detail).toBe('A dismissed reminder cannot be snoozed');
    expect(await read(user, done.id)).toEqual(done);
    const open = await createReminder(user, { title: 'Open', remind_at: fromNow(-HOUR) });
    expect((await action(user, open.id, 'snooze', { minutes: 5 }, { 'if-match': '"2"' })).statusCode).toBe(412);
    expect((await action(stranger, open.id, 'snooze', { minutes: 5 })).statusCode).toBe(404);
    expect(await read(user, open.id)).toEqual(open);
  });
});
