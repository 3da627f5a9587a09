import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { addDays, dateIn } from './helpers/dates.ts';
import { keepOffMidnight } from './helpers/midnight.ts';
import { createEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { bornYearsBefore, create, FAR_ZONES, get, invite } from './helpers/views.ts';

const t = useTestApp();

// Everything is built around the real current time, at a user's own "today", in zones 25 hours
// apart: at any moment at least one of them is on a different date than UTC.

type Occurrence = { id: string; title: string; start_at: string; occurrence_start: string | null; my_role: string; calendar_id: string | null; is_exception: boolean };

const dashboard = (user: SignedIn) => get(t.app, user, '/api/dashboard');

describe.each(FAR_ZONES)('the dashboard of a user in $zone', ({ zone, offset }) => {
  keepOffMidnight([zone]);
  const local = (date: string, time: string) => `${date}T${time}:00${offset}`;
  const iso = (date: string, time: string) => new Date(local(date, time)).toISOString();

  it('is dated today in the user zone', async () => {
    const user = await registerUser(t.app, { timezone: zone });
    expect(await dashboard(user)).toEqual({
      date: dateIn(zone),
      timezone: zone,
      events_today: [],
      truncated: false,
      todos: { open: 0, overdue: 0, due_today: 0 },
      reminders: { active: 0, due: [] },
      projects: [],
      pending_invitations: 0,
      birthdays: [],
      // The household "Home" registration created is the active one; its vault is empty.
      vault: { household: { id: expect.any(String), name: 'Home' }, expiring: [], reminders_due: 0 },
    });
  });

  it("lists today's occurrences: own, recurring, invited and edited, not declined, yesterday's or tomorrow's", async () => {
    const user = await registerUser(t.app, { timezone: zone });
    const owner = await registerUser(t.app, { timezone: 'UTC' });
    const today = dateIn(zone);
    const hour = (date: string, time: string, end: string) => ({ start_at: local(date, time), end_at: local(date, end) });
    const single = await createEvent(t.app, user, { title: 'Dentist', ...hour(today, '09:00', '10:00') });
    const daily = await createEvent(t.app, user, { title: 'Standup', ...hour(addDays(today, -3), '12:00', '12:15'), rrule: 'FREQ=DAILY' });
    const edited = await createEvent(t.app, user, { title: 'Gym', ...hour(addDays(today, -7), '18:00', '19:00'), rrule: 'FREQ=WEEKLY' });
    const cancelled = await createEvent(t.app, user, { title: 'Cancelled class', ...hour(addDays(today, -1), '07:00', '08:00'), rrule: 'FREQ=DAILY' });
    const overnight = await createEvent(t.app, user, { title: 'Night shift', start_at: local(addDays(today, -1), '22:00'), end_at: local(today, '06:00') });
    await createEvent(t.app, user, { title: 'Yesterday', ...hour(addDays(today, -1), '09:00', '10:00') });
    await createEvent(t.app, user, { title: 'Tomorrow at midnight', start_at: local(addDays(today, 1), '00:00'), end_at: local(addDays(today, 1), '01:00') });
    const invited = await createEvent(t.app, owner, { title: 'Invited lunch', ...hour(today, '13:00', '14:00') });
    await invite(t.app, owner, invited.id, user, 'accepted');
    const declined = await createEvent(t.app, owner, { title: 'Declined party', ...hour(today, '20:00', '23:00') });
    await invite(t.app, owner, declined.id, user, 'declined');

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/events/${edited.id}`,
      headers: user.headers,
      payload: { scope: 'this', occurrence_start: iso(today, '18:00'), title: 'Gym (legs)' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/events/${cancelled.id}?scope=this&occurrence_start=${encodeURIComponent(iso(today, '07:00'))}`,
      headers: user.headers,
    });
    expect(removed.statusCode, removed.body).toBe(204);

    const items: Occurrence[] = (await dashboard(user)).events_today;
    expect(items.map((item) => [item.title, item.start_at])).toEqual([
      ['Night shift', iso(addDays(today, -1), '22:00')],
      ['Dentist', iso(today, '09:00')],
      ['Standup', iso(today, '12:00')],
      ['Invited lunch', iso(today, '13:00')],
      ['Gym (legs)', iso(today, '18:00')],
    ]);
    const byTitle = new Map(items.map((item) => [item.title, item]));
    expect(byTitle.get('Dentist')).toMatchObject({ id: single.id, occurrence_start: null, my_role: 'owner' });
    expect(byTitle.get('Standup')).toMatchObject({ id: daily.id, occurrence_start: iso(today, '12:00'), recurring: true });
    expect(byTitle.get('Gym (legs)')).toMatchObject({ id: edited.id, is_exception: true });
    expect(byTitle.get('Night shift')).toMatchObject({ id: overnight.id });
    // An invitee sees the event, not the owner's calendar.
    expect(byTitle.get('Invited lunch')).toMatchObject({ id: invited.id, my_role: 'guest', my_status: 'accepted', calendar_id: null });

    // The same occurrences the range query gives for today.
    const range = await get(t.app, user, `/api/events?from=${today}&to=${addDays(today, 1)}`);
    expect(items).toEqual(range.items);
  });

  it('counts open, overdue and due-today todos by the user date', async () => {
    const user = await registerUser(t.app, { timezone: zone });
    const today = dateIn(zone);
    const todo = (title: string, due_date: string | null, completed = false) => create(t.app, user, '/api/todos', { title, due_date, completed });
    await todo('long overdue', addDays(today, -30));
    await todo('overdue', addDays(today, -1));
    await todo('today', today);
    await todo('also today', today);
    await todo('tomorrow', addDays(today, 1));
    await todo('someday', null);
    await todo('done yesterday', addDays(today, -1), true);
    await todo('done today', today, true);
    expect((await dashboard(user)).todos).toEqual({ open: 6, overdue: 2, due_today: 2 });
    // The same numbers as the todo list filters.
    expect((await get(t.app, user, '/api/todos?overdue=true')).total).toBe(2);
    expect((await get(t.app, user, `/api/todos?completed=false&due_from=${today}&due_to=${today}`)).total).toBe(2);
  });

  it('lists birthdays of today and the next 29 days with the age they turn, soonest first', async () => {
    const user = await registerUser(t.app, { timezone: zone });
    const today = dateIn(zone);
    const person = (name: string, birthday: string | null) => create(t.app, user, '/api/people', { name, birthday });
    const todays = await person('Today Tess', bornYearsBefore(today, 40));
    const last = await person('Last day Lu', bornYearsBefore(addDays(today, 29), 28));
    const soon = await person('Soon Sam', bornYearsBefore(addDays(today, 3), 32));
    await person('Too late Tim', bornYearsBefore(addDays(today, 30), 28));
    await person('Yesterday Yan', bornYearsBefore(addDays(today, -1), 28));
    await person('No birthday', null);
    await person('Born today', today);
    // Another user's people never show.
    await create(t.app, await registerUser(t.app, { timezone: zone }), '/api/people', { name: 'Not mine', birthday: bornYearsBefore(today, 20) });

    expect((await dashboard(user)).birthdays).toEqual([
      { person_id: todays.id, name: 'Today Tess', date: today, age: 40 },
      { person_id: soon.id, name: 'Soon Sam', date: addDays(today, 3), age: 32 },
      { person_id: last.id, name: 'Last day Lu', date: addDays(today, 29), age: 28 },
    ]);
  });
});

describe('the dashboard reminders', () => {
  it('count every reminder not dismissed as active and list those due, longest waiting first', async () => {
    const user = await registerUser(t.app, { timezone: 'Pacific/Kiritimati' });
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const reminder = (title: string, payload: Record<string, unknown>) => create(t.app, user, '/api/reminders', { title, ...payload });
    const older = await reminder('Older', { remind_at: ago(120) });
    const newer = await reminder('Newer', { remind_at: ago(5) });
    await reminder('Future', { remind_at: ago(-60) });
    await reminder('Snoozed', { remind_at: ago(30), snoozed_until: ago(-30) });
    const dismissed = await reminder('Dismissed', { remind_at: ago(60) });
    expect((await t.app.inject({ method: 'PATCH', url: `/api/reminders/${dismissed.id}/dismiss`, headers: user.headers })).statusCode).toBe(200);
    // A snooze that ran out (written directly: the API only takes future snoozes) is due again.
    const woke = await reminder('Snooze over', { remind_at: ago(90) });
    await t.db.updateTable('reminders').set({ snoozed_until: new Date(Date.now() - 10 * 60_000) }).where('id', '=', woke.id).execute();

    const { reminders } = await dashboard(user);
    expect(reminders.active).toBe(5);
    // By when each became due: the woken one when its snooze ended, 10 minutes ago.
    expect(reminders.due.map((item: { id: string }) => item.id)).toEqual([older.id, woke.id, newer.id]);
    expect(reminders.due[0]).toEqual(older);
    // The same set as the list's due filter.
    const listed = await get(t.app, user, '/api/reminders?due=true');
    expect(new Set(reminders.due.map((item: { id: string }) => item.id))).toEqual(new Set(listed.items.map((item: { id: string }) => item.id)));
  });
});

describe('the dashboard projects and invitations', () => {
  it('lists projects not completed or archived with their progress, by name', async () => {
    const user = await registerUser(t.app);
    const project = (name: string, status: string) => create(t.app, user, '/api/projects', { name, status });
    const active = await project('Bathroom', 'active');
    for (const status of ['done', 'todo', 'in_progress']) await create(t.app, user, `/api/projects/${active.id}/tasks`, { title: `tile ${status}`, status });
    const planning = await project('attic', 'planning');
    const onHold = await project('Car', 'on_hold');
    await project('Garden', 'completed');
    await project('Old house', 'archived');
    expect((await dashboard(user)).projects).toEqual([
      { id: planning.id, name: 'attic', status: 'planning', progress: 0 },
      { id: active.id, name: 'Bathroom', status: 'active', progress: 33 },
      { id: onHold.id, name: 'Car', status: 'on_hold', progress: 0 },
    ]);
  });

  it('counts the invitations not answered yet', async () => {
    const user = await registerUser(t.app);
    const owner = await registerUser(t.app);
    const at = { start_at: '2030-01-01T09:00:00Z', end_at: '2030-01-01T10:00:00Z' };
    for (const status of ['pending', 'pending', 'accepted', 'declined', 'tentative'] as const) {
      const event = await createEvent(t.app, owner, { title: `invite ${status}`, ...at });
      await invite(t.app, owner, event.id, user, status);
    }
    expect((await dashboard(user)).pending_invitations).toBe(2);
    expect((await dashboard(owner)).pending_invitations).toBe(0);
    expect((await get(t.app, user, '/api/invitations?status=pending')).items).toHaveLength(2);
  });
});

describe('GET /api/dashboard', () => {
  keepOffMidnight(['UTC']);
  it('needs a session and takes no parameters', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/dashboard' })).statusCode).toBe(401);
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'GET', url: '/api/dashboard?days=3', headers: user.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: 'days' })]);
  });

  it('cuts events_today at its first 500 occurrences, with truncated, when a day holds more', async () => {
    const user = await registerUser(t.app);
    const today = dateIn('UTC');
    // Every minute of the day (an hourly rule with each minute, since MINUTELY is refused).
    const everyMinute = Array.from({ length: 60 }, (_, minute) => minute).join(',');
    await createEvent(t.app, user, { title: 'Every minute', start_at: `${today}T00:00:00Z`, end_at: `${today}T00:00:00Z`, rrule: `FREQ=HOURLY;BYMINUTE=${everyMinute}` });
    const body = await dashboard(user);
    expect(body.truncated).toBe(true);
    expect(body.events_today).toHaveLength(500);
    expect(body.events_today[0].start_at).toBe(`${today}T00:00:00.000Z`);
    expect(body.events_today[499].start_at).toBe(new Date(Date.parse(`${today}T00:00:00Z`) + 499 * 60_000).toISOString());
  });
});
