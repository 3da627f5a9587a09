import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { addDays, dateIn } from './helpers/dates.ts';
import { keepOffMidnight } from './helpers/midnight.ts';
import { createEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { bornYearsBefore, create, FAR_ZONES, get, invite } from './helpers/views.ts';
import { wallClock } from './helpers/wall-clock.ts';

const t = useTestApp();

type Item = { type: string; id: string; title: string; at: string; all_day: boolean; [key: string]: unknown };

const upcoming = (user: SignedIn, query = ''): Promise<{ from: string; to: string; items: Item[]; truncated: boolean }> => get(t.app, user, `/api/upcoming${query}`);
const summary = (items: Item[]) => items.map((item) => `${item.type} ${item.title} ${item.at}`);

describe.each(FAR_ZONES)('the upcoming timeline of a user in $zone', ({ zone, offset }) => {
  keepOffMidnight([zone]);
  const local = (date: string, time: string) => `${date}T${time}:00${offset}`;
  const iso = (date: string, time: string) => new Date(local(date, time)).toISOString();

  it('covers whole days from today 00:00 in the user zone, 7 by default', async () => {
    const user = await registerUser(t.app, { timezone: zone });
    const today = dateIn(zone);
    const body = await upcoming(user);
    expect(body).toEqual({ from: iso(today, '00:00'), to: iso(addDays(today, 7), '00:00'), items: [], truncated: false });
    expect(wallClock(body.from, zone)).toMatchObject({ date: today, time: '00:00' });
    expect((await upcoming(user, '?days=1')).to).toBe(iso(addDays(today, 1), '00:00'));
    expect((await upcoming(user, '?days=90')).to).toBe(iso(addDays(today, 90), '00:00'));
  });

  it('merges every kind of item in time order; dated items at 00:00 of their date', async () => {
    const user = await registerUser(t.app, { timezone: zone });
    const owner = await registerUser(t.app, { timezone: 'UTC' });
    const today = dateIn(zone);
    const tomorrow = addDays(today, 1);
    const inTwoDays = addDays(today, 2);
    const inSevenDays = addDays(today, 7);
    const hour = (date: string, time: string) => ({ start_at: local(date, time), end_at: new Date(new Date(local(date, time)).getTime() + 3_600_000).toISOString() });

    const dentist = await createEvent(t.app, user, { title: 'Dentist', ...hour(tomorrow, '09:00') });
    // Weekly since two weeks ago: next on tomorrow, then out of the 7 days.
    const yoga = await createEvent(t.app, user, { title: 'Yoga', ...hour(addDays(tomorrow, -14), '07:30'), rrule: 'FREQ=WEEKLY' });
    await createEvent(t.app, user, { title: 'Next week', ...hour(inSevenDays, '00:00') });
    const lunch = await createEvent(t.app, owner, { title: 'Invited lunch', ...hour(inTwoDays, '12:00') });
    await invite(t.app, owner, lunch.id, user, 'pending');
    const party = await createEvent(t.app, owner, { title: 'Declined party', ...hour(inTwoDays, '20:00') });
    await invite(t.app, owner, party.id, user, 'declined');

    const todo = await create(t.app, user, '/api/todos', { title: 'Pay rent', due_date: inTwoDays });
    await create(t.app, user, '/api/todos', { title: 'Done already', due_date: tomorrow, completed: true });
    await create(t.app, user, '/api/todos', { title: 'Overdue', due_date: addDays(today, -1) });
    await create(t.app, user, '/api/todos', { title: 'Later', due_date: inSevenDays });
    await create(t.app, user, '/api/todos', { title: 'Undated' });

    const reminder = await create(t.app, user, '/api/reminders', { title: 'Call mum', remind_at: local(tomorrow, '18:00') });
    const snoozedAt = iso(inTwoDays, '08:00');
    const snoozed = await create(t.app, user, '/api/reminders', { title: 'Snoozed', remind_at: new Date(Date.now() - 60_000).toISOString(), snoozed_until: snoozedAt });
    await create(t.app, user, '/api/reminders', { title: 'Dismissed', remind_at: local(tomorrow, '10:00'), is_dismissed: true });
    await create(t.app, user, '/api/reminders', { title: 'Far away', remind_at: local(addDays(today, 30), '10:00') });

    const project = await create(t.app, user, '/api/projects', { name: 'Move house' });
    const task = await create(t.app, user, `/api/projects/${project.id}/tasks`, { title: 'Book van', due_date: tomorrow });
    await create(t.app, user, `/api/projects/${project.id}/tasks`, { title: 'Done task', due_date: tomorrow, status: 'done' });
    const shelved = await create(t.app, user, '/api/projects', { name: 'Shelved', status: 'archived' });
    await create(t.app, user, `/api/projects/${shelved.id}/tasks`, { title: 'Shelved task', due_date: tomorrow });

    const friend = await create(t.app, user, '/api/people', { name: 'Ada', birthday: bornYearsBefore(inTwoDays, 32) });

    // Someone else's records never show.
    const stranger = await registerUser(t.app, { timezone: zone });
    await create(t.app, stranger, '/api/todos', { title: 'Not mine', due_date: tomorrow });

    const { items } = await upcoming(user);
    expect(summary(items)).toEqual([
      `task Book van ${iso(tomorrow, '00:00')}`,
      `event Yoga ${iso(tomorrow, '07:30')}`,
      `event Dentist ${iso(tomorrow, '09:00')}`,
      `reminder Call mum ${iso(tomorrow, '18:00')}`,
      `todo Pay rent ${iso(inTwoDays, '00:00')}`,
      `birthday Ada ${iso(inTwoDays, '00:00')}`,
      `reminder Snoozed ${snoozedAt}`,
      `event Invited lunch ${iso(inTwoDays, '12:00')}`,
    ]);
    const byTitle = new Map(items.map((item) => [item.title, item]));
    expect(byTitle.get('Dentist')).toEqual({ type: 'event', id: dentist.id, title: 'Dentist', at: iso(tomorrow, '09:00'), all_day: false, occurrence_start: null });
    expect(byTitle.get('Yoga')).toEqual({ type: 'event', id: yoga.id, title: 'Yoga', at: iso(tomorrow, '07:30'), all_day: false, occurrence_start: iso(tomorrow, '07:30') });
    expect(byTitle.get('Pay rent')).toEqual({ type: 'todo', id: todo.id, title: 'Pay rent', at: iso(inTwoDays, '00:00'), all_day: true });
    expect(byTitle.get('Call mum')).toEqual({ type: 'reminder', id: reminder.id, title: 'Call mum', at: iso(tomorrow, '18:00'), all_day: false });
    expect(byTitle.get('Snoozed')).toMatchObject({ type: 'reminder', id: snoozed.id });
    expect(byTitle.get('Book van')).toEqual({ type: 'task', id: task.id, title: 'Book van', at: iso(tomorrow, '00:00'), all_day: true, project_id: project.id });
    expect(byTitle.get('Ada')).toEqual({ type: 'birthday', id: friend.id, title: 'Ada', at: iso(inTwoDays, '00:00'), all_day: true, person_id: friend.id });
  });

  it('lists each occurrence of a recurring event, with its edits and without its cancellations', async () => {
    const user = await registerUser(t.app, { timezone: zone });
    const today = dateIn(zone);
    const series = await createEvent(t.app, user, { title: 'Standup', start_at: local(addDays(today, -2), '09:00'), end_at: local(addDays(today, -2), '09:15'), rrule: 'FREQ=DAILY' });
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/events/${series.id}`,
      headers: user.headers,
      payload: { scope: 'this', occurrence_start: iso(addDays(today, 1), '09:00'), title: 'Standup (late)', start_at: local(addDays(today, 1), '11:00'), end_at: local(addDays(today, 1), '11:15') },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const cancel = await t.app.inject({
      method: 'DELETE',
      url: `/api/events/${series.id}?scope=this&occurrence_start=${encodeURIComponent(iso(addDays(today, 2), '09:00'))}`,
      headers: user.headers,
    });
    expect(cancel.statusCode, cancel.body).toBe(204);

    const { items } = await upcoming(user, '?days=4');
    expect(items.map((item) => [item.title, item.at, item.occurrence_start])).toEqual([
      ['Standup', iso(today, '09:00'), iso(today, '09:00')],
      ['Standup (late)', iso(addDays(today, 1), '11:00'), iso(addDays(today, 1), '09:00')],
      ['Standup', iso(addDays(today, 3), '09:00'), iso(addDays(today, 3), '09:00')],
    ]);
    // The same occurrences as the range query over the same days.
    const range = await get(t.app, user, `/api/events?from=${today}&to=${addDays(today, 4)}`);
    expect(items.map((item) => [item.id, item.at])).toEqual(range.items.map((item: Item) => [item.id, item.start_at]));
  });
});

describe('items at the same time', () => {
  keepOffMidnight(['Pacific/Kiritimati']);
  it('sort by type (event, todo, reminder, task, birthday), then id', async () => {
    const user = await registerUser(t.app, { timezone: 'Pacific/Kiritimati' });
    const today = dateIn('Pacific/Kiritimati');
    const day = addDays(today, 1);
    const midnight = `${day}T00:00:00+14:00`;
    await create(t.app, user, '/api/people', { name: 'Bea', birthday: bornYearsBefore(day, 20) });
    const project = await create(t.app, user, '/api/projects', { name: 'P' });
    await create(t.app, user, `/api/projects/${project.id}/tasks`, { title: 'Task', due_date: day });
    await create(t.app, user, '/api/reminders', { title: 'Reminder', remind_at: midnight });
    const todos = [await create(t.app, user, '/api/todos', { title: 'Todo', due_date: day }), await create(t.app, user, '/api/todos', { title: 'Todo', due_date: day })];
    await createEvent(t.app, user, { title: 'All day', start_at: day, end_at: addDays(day, 1), all_day: true });

    const { items } = await upcoming(user, '?days=2');
    const at = new Date(midnight).toISOString();
    expect(items.every((item) => item.at === at)).toBe(true);
    expect(items.map((item) => item.type)).toEqual(['event', 'todo', 'todo', 'reminder', 'task', 'birthday']);
    expect(items.filter((item) => item.type === 'todo').map((item) => item.id)).toEqual(todos.map((todo) => todo.id).sort());
    expect(items[0]).toMatchObject({ title: 'All day', all_day: true });
  });
});

describe('GET /api/upcoming?days=', () => {
  keepOffMidnight(['UTC']);
  it('takes 1..90 days; anything else is a 400 naming days', async () => {
    const user = await registerUser(t.app);
    for (const days of ['0', '91', '-1', '1.5', 'week', '']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/upcoming?days=${days}`, headers: user.headers });
      expect(response.statusCode, days).toBe(400);
      expect(response.json().errors, days).toEqual([expect.objectContaining({ path: 'days' })]);
    }
    const unknown = await t.app.inject({ method: 'GET', url: '/api/upcoming?from=2026-01-01', headers: user.headers });
    expect(unknown.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/upcoming' })).statusCode).toBe(401);
  });

  it('cuts the events at their first 500 occurrences, with truncated, and keeps the other items', async () => {
    const user = await registerUser(t.app);
    const today = dateIn('UTC');
    const everyMinute = Array.from({ length: 60 }, (_, minute) => minute).join(',');
    await createEvent(t.app, user, { title: 'Every minute', start_at: `${today}T00:00:00Z`, end_at: `${today}T00:00:30Z`, rrule: `FREQ=HOURLY;BYMINUTE=${everyMinute}` });
    await create(t.app, user, '/api/todos', { title: 'Later todo', due_date: addDays(today, 3) });
    const body = await upcoming(user, '?days=7');
    expect(body.truncated).toBe(true);
    expect(body.items.filter((item) => item.type === 'event')).toHaveLength(500);
    expect(body.items.map((item) => item.title)).toContain('Later todo');
    const short = await upcoming(user, '?days=1');
    expect(short.truncated).toBe(true);
  });
});
