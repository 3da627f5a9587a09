import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

describeCrudContract(t, {
  path: '/api/reminders',
  create: (n) => ({ title: `Reminder ${n}`, remind_at: new Date(Date.UTC(2026, 0, 1 + (n % 9), 9)).toISOString() }),
  change: { title: 'Changed title' },
  nullable: { field: 'description', value: 'Some words' },
  invalid: { payload: { remind_at: '2026-01-01T09:00:00' }, path: 'remind_at' },
  sorts: ['remind_at', 'created_at', 'title'],
});

const HOUR = 60 * 60 * 1000;
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

async function createReminder(user: SignedIn, payload: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url: '/api/reminders', headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function patch(user: SignedIn, url: string, payload?: Record<string, unknown>) {
  return t.app.inject({ method: 'PATCH', url, headers: user.headers, payload });
}

async function titles(user: SignedIn, query: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/reminders?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { title: string }) => item.title);
}

describe('reminder fields', () => {
  it('has the defaults of the contract and answers instants in UTC', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Call the bank', remind_at: '2026-03-02T09:00:00+01:00' });
    expect(reminder).toMatchObject({
      title: 'Call the bank',
      description: null,
      remind_at: '2026-03-02T08:00:00.000Z',
      repeat: 'none',
      is_dismissed: false,
      dismissed_at: null,
      snoozed_until: null,
    });
    expect(reminder).not.toHaveProperty('repeat_anchor');
  });

  it.each([
    [{ title: '', remind_at: '2026-01-01T09:00:00Z' }, 'title'],
    [{ title: 'x'.repeat(501), remind_at: '2026-01-01T09:00:00Z' }, 'title'],
    [{ title: 'ok' }, 'remind_at'],
    [{ title: 'ok', remind_at: '2026-01-01' }, 'remind_at'],
    [{ title: 'ok', remind_at: '2026-01-01T09:00:00Z', description: 'x'.repeat(10001) }, 'description'],
    [{ title: 'ok', remind_at: '2026-01-01T09:00:00Z', repeat: 'hourly' }, 'repeat'],
    [{ title: 'ok', remind_at: '2026-01-01T09:00:00Z', snoozed_until: '2020-01-01T00:00:00Z' }, 'snoozed_until'],
    [{ title: 'ok', remind_at: '2026-01-01T09:00:00Z', is_dismissed: true, snoozed_until: '2099-01-01T00:00:00Z' }, 'snoozed_until'],
    [{ title: 'ok', remind_at: '2026-01-01T09:00:00Z', dismissed_at: '2026-01-01T09:00:00Z' }, 'dismissed_at'],
    [{ title: 'ok', remind_at: '2026-01-01T09:00:00Z', repeat_anchor: '2026-01-01T09:00:00Z' }, 'repeat_anchor'],
  ])('refuses %o naming %s, creating nothing', async (payload, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'POST', url: '/api/reminders', headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await t.app.inject({ method: 'GET', url: '/api/reminders', headers: user.headers })).json().total).toBe(0);
  });

  it('stamps dismissed_at when is_dismissed becomes true, keeps it while true, clears it when false', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Water plants', remind_at: fromNow(-HOUR) });
    const url = `/api/reminders/${reminder.id}`;
    const dismissed = (await patch(user, url, { is_dismissed: true })).json();
    expect(dismissed).toMatchObject({ is_dismissed: true, dismissed_at: expect.stringMatching(/Z$/), version: 2 });
    const renamed = (await patch(user, url, { is_dismissed: true, title: 'Water the plants' })).json();
    expect(renamed.dismissed_at).toBe(dismissed.dismissed_at);
    const active = (await t.app.inject({ method: 'PUT', url, headers: user.headers, payload: { is_dismissed: false } })).json();
    expect(active).toMatchObject({ is_dismissed: false, dismissed_at: null, title: 'Water the plants' });
    const createdDismissed = await createReminder(user, { title: 'Old', remind_at: fromNow(-HOUR), is_dismissed: true });
    expect(createdDismissed.dismissed_at).toEqual(expect.stringMatching(/Z$/));
  });

  it('ends a snooze when the reminder is dismissed or moved, and keeps it otherwise', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Stretch', remind_at: fromNow(-HOUR) });
    const url = `/api/reminders/${reminder.id}`;
    const until = fromNow(2 * HOUR);
    expect((await patch(user, url, { snoozed_until: until })).json().snoozed_until).toBe(until);
    expect((await patch(user, url, { title: 'Stretch more', remind_at: reminder.remind_at })).json().snoozed_until).toBe(until);
    expect((await patch(user, url, { remind_at: fromNow(-2 * HOUR) })).json().snoozed_until).toBeNull();
    await patch(user, url, { snoozed_until: until });
    expect((await patch(user, url, { remind_at: fromNow(HOUR), snoozed_until: until })).json().snoozed_until).toBe(until);
    expect((await patch(user, url, { snoozed_until: null })).json().snoozed_until).toBeNull();
    await patch(user, url, { snoozed_until: until });
    expect((await patch(user, url, { is_dismissed: true })).json()).toMatchObject({ is_dismissed: true, snoozed_until: null });
  });

  it('refuses to snooze a dismissed reminder through PATCH, changing nothing', async () => {
    const user = await registerUser(t.app);
    const reminder = await createReminder(user, { title: 'Done', remind_at: fromNow(-HOUR), is_dismissed: true });
    const response = await patch(user, `/api/reminders/${reminder.id}`, { snoozed_until: fromNow(HOUR) });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: 'snoozed_until', message: 'A dismissed reminder cannot be snoozed' }]);
    const stored = await t.app.inject({ method: 'GET', url: `/api/reminders/${reminder.id}`, headers: user.headers });
    expect(stored.json()).toEqual(reminder);
    const reopened = await patch(user, `/api/reminders/${reminder.id}`, { is_dismissed: false, snoozed_until: fromNow(HOUR) });
    expect(reopened.json()).toMatchObject({ is_dismissed: false, snoozed_until: expect.any(String) });
  });
});

describe('GET /api/reminders filters', () => {
  it('due=true lists active reminders whose time has come and whose snooze (if any) is over', async () => {
    const user = await registerUser(t.app);
    await createReminder(user, { title: 'due', remind_at: fromNow(-2 * HOUR) });
    await createReminder(user, { title: 'future', remind_at: fromNow(HOUR) });
    await createReminder(user, { title: 'dismissed', remind_at: fromNow(-3 * HOUR), is_dismissed: true });
    const snoozed = await createReminder(user, { title: 'snoozed', remind_at: fromNow(-4 * HOUR) });
    expect((await patch(user, `/api/reminders/${snoozed.id}/snooze`, { minutes: 30 })).statusCode).toBe(200);
    const snoozeOver = await createReminder(user, { title: 'snooze over', remind_at: fromNow(-HOUR) });
    // A snooze that has run out cannot be set through the API (until must be in the future).
    await t.db.updateTable('reminders').set({ snoozed_until: new Date(Date.now() - 60_000) }).where('id', '=', snoozeOver.id).execute();
    const repeating = await createReminder(user, { title: 'repeating, dismissed for today', remind_at: fromNow(-5 * HOUR), repeat: 'daily' });
    expect((await patch(user, `/api/reminders/${repeating.id}/dismiss`)).json().is_dismissed).toBe(false);

    expect(await titles(user, 'due=true')).toEqual(['due', 'snooze over']);
    expect(await titles(user, 'due=false')).toEqual(['snoozed', 'dismissed', 'future', 'repeating, dismissed for today']);
    expect(await titles(user, 'dismissed=true')).toEqual(['dismissed']);
    expect(await titles(user, 'dismissed=false&due=false')).toEqual(['snoozed', 'future', 'repeating, dismissed for today']);
  });

  it('from/to select remind_at in [from, to), with any offset', async () => {
    const user = await registerUser(t.app);
    for (const day of ['01', '02', '03']) await createReminder(user, { title: `jan ${day}`, remind_at: `2026-01-${day}T00:00:00Z` });
    expect(await titles(user, 'from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z')).toEqual(['jan 02']);
    expect(await titles(user, 'from=2026-01-02T00:00:00Z')).toEqual(['jan 02', 'jan 03']);
    expect(await titles(user, 'to=2026-01-02T00:00:00Z')).toEqual(['jan 01']);
    expect(await titles(user, `from=${encodeURIComponent('2026-01-02T01:00:00+01:00')}`)).toEqual(['jan 02', 'jan 03']);
  });

  it('q matches title or description, case-insensitively and literally', async () => {
    const user = await registerUser(t.app);
    await createReminder(user, { title: 'Dentist', description: 'Bring the 50% voucher', remind_at: '2026-01-01T09:00:00Z' });
    await createReminder(user, { title: 'Pay DENTIST bill', remind_at: '2026-01-02T09:00:00Z' });
    await createReminder(user, { title: 'Gym', remind_at: '2026-01-03T09:00:00Z' });
    expect(await titles(user, 'q=dentist')).toEqual(['Dentist', 'Pay DENTIST bill']);
    expect(await titles(user, 'q=VOUCHER')).toEqual(['Dentist']);
    expect(await titles(user, 'q=50%25')).toEqual(['Dentist']);
    expect(await titles(user, 'q=_')).toEqual([]);
  });

  it.each([
    ['due=yes', 'due'],
    ['dismissed=1', 'dismissed'],
    ['from=2026-01-01', 'from'],
    ['to=tomorrow', 'to'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-02T00:00:00Z', 'to'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['q=', 'q'],
    ['sort=due_date', 'sort'],
  ])('refuses ?%s naming %s', async (query, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'GET', url: `/api/reminders?${query}`, headers: user.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
  });
});

describe('GET /api/reminders sorts', () => {
  it('sorts by remind_at (default), title case-insensitively and created_at, ties by id', async () => {
    const user = await registerUser(t.app);
    await createReminder(user, { title: 'b', remind_at: '2026-02-01T09:00:00Z' });
    await createReminder(user, { title: 'C', remind_at: '2026-01-01T09:00:00Z' });
    await createReminder(user, { title: 'a', remind_at: '2026-03-01T09:00:00Z' });
    expect(await titles(user, '')).toEqual(['C', 'b', 'a']);
    expect(await titles(user, 'sort=-remind_at')).toEqual(['a', 'b', 'C']);
    expect(await titles(user, 'sort=title')).toEqual(['a', 'b', 'C']);
    expect(await titles(user, 'sort=-title')).toEqual(['C', 'b', 'a']);
    expect(await titles(user, 'sort=created_at')).toEqual(['b', 'C', 'a']);
    expect(await titles(user, 'sort=-created_at')).toEqual(['a', 'C', 'b']);

    const twins = await registerUser(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await createReminder(twins, { title: 'same', remind_at: '2026-01-01T09:00:00Z' })).id);
    const listed = await t.app.inject({ method: 'GET', url: '/api/reminders', headers: twins.headers });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([...ids].sort());
  });
});
