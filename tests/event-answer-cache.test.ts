import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { useTestApp } from './helpers/app.ts';
import { createEvent, patchEvent, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// GET /api/events keeps each serialized answer under a digest of what it was built from (the
// user, the resolved request, the rows read). These tests prime the cache, change one thing the
// month shows, by every route that can change it (and once behind the app's back), and expect
// the next answer to show the change: a cached answer is never a stale one.

const t = useTestApp();

let owner: SignedIn;
let guest: SignedIn;
const MAY = window('2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z');

beforeAll(async () => {
  owner = await registerUser(t.app, { display_name: 'Olga Owner' });
  guest = await registerUser(t.app, { display_name: 'Gus Guest' });
});

async function view(user: SignedIn, query = MAY, app: App = t.app) {
  const response = await app.inject({ method: 'GET', url: `/api/events?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response;
}

/** The month twice in a row: the second answer comes from the cache and is the same bytes. */
async function primed(user: SignedIn, query = MAY) {
  const first = await view(user, query);
  const hits = t.app.answers.hits;
  const second = await view(user, query);
  expect(t.app.answers.hits).toBe(hits + 1);
  expect(second.body).toBe(first.body);
  return first.json().items;
}

async function weeklyWithGuest(title: string) {
  const event = await createEvent(t.app, owner, { title, start_at: '2026-05-04T09:00:00Z', end_at: '2026-05-04T10:00:00Z', rrule: 'FREQ=WEEKLY;COUNT=4' });
  const invited = await t.app.inject({ method: 'POST', url: `/api/events/${event.id}/invitees`, headers: owner.headers, payload: { email: guest.email } });
  expect(invited.statusCode).toBe(201);
  return event;
}

const titlesOf = (items: Array<{ id: string; title: string }>, id: string) => items.filter((item) => item.id === id).map((item) => item.title);

describe('the month view answer cache', () => {
  it('answers a repeated request from the cache with the bytes of the first answer', async () => {
    const event = await weeklyWithGuest('Repeat');
    const items = await primed(owner);
    expect(titlesOf(items, event.id)).toEqual(['Repeat', 'Repeat', 'Repeat', 'Repeat']);
    // HEAD of a cached answer: the same headers, no body.
    const head = await t.app.inject({ method: 'HEAD', url: `/api/events?${MAY}`, headers: owner.headers });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('shows a renamed series, to the owner and to the invitee', async () => {
    const event = await weeklyWithGuest('Standup');
    expect(titlesOf(await primed(owner), event.id)).toEqual(['Standup', 'Standup', 'Standup', 'Standup']);
    expect(titlesOf(await primed(guest), event.id)).toHaveLength(4);
    expect((await patchEvent(t.app, owner, event.id, { title: 'Daily' })).statusCode).toBe(200);
    expect(titlesOf((await view(owner)).json().items, event.id)).toEqual(['Daily', 'Daily', 'Daily', 'Daily']);
    expect(titlesOf((await view(guest)).json().items, event.id)).toEqual(['Daily', 'Daily', 'Daily', 'Daily']);
  });

  it('shows one moved and one cancelled occurrence (overrides)', async () => {
    const event = await weeklyWithGuest('Review');
    await primed(owner);
    const moved = await patchEvent(t.app, owner, event.id, {
      scope: 'this',
      occurrence_start: '2026-05-11T09:00:00Z',
      title: 'Review (moved)',
      start_at: '2026-05-12T15:00:00Z',
      end_at: '2026-05-12T16:00:00Z',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const items = (await view(owner)).json().items.filter((item: { id: string }) => item.id === event.id);
    expect(items.map((item: { start_at: string; title: string }) => [item.start_at, item.title])).toEqual([
      ['2026-05-04T09:00:00.000Z', 'Review'],
      ['2026-05-12T15:00:00.000Z', 'Review (moved)'],
      ['2026-05-18T09:00:00.000Z', 'Review'],
      ['2026-05-25T09:00:00.000Z', 'Review'],
    ]);
    await primed(owner);
    const cancelled = await t.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}?scope=this&occurrence_start=${encodeURIComponent('2026-05-18T09:00:00Z')}`,
      headers: owner.headers,
    });
    expect(cancelled.statusCode).toBe(204);
    const after = (await view(owner)).json().items.filter((item: { id: string }) => item.id === event.id);
    expect(after.map((item: { start_at: string }) => item.start_at)).toEqual(['2026-05-04T09:00:00.000Z', '2026-05-12T15:00:00.000Z', '2026-05-25T09:00:00.000Z']);
  });

  it("shows the invitee's answer and edit right, and the owner's new name", async () => {
    const event = await weeklyWithGuest('Lunch');
    const before = (await primed(guest)).find((item: { id: string }) => item.id === event.id);
    expect(before).toMatchObject({ my_status: 'pending', can_modify: false, owner: { display_name: 'Olga Owner' } });

    const allowed = await t.app.inject({ method: 'PATCH', url: `/api/events/${event.id}/invitees/${guest.id}`, headers: owner.headers, payload: { can_modify: true } });
    expect(allowed.statusCode).toBe(200);
    expect((await view(guest)).json().items.find((item: { id: string }) => item.id === event.id)).toMatchObject({ my_role: 'editor', can_modify: true });

    await primed(guest);
    const renamed = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: owner.headers, payload: { display_name: 'Olga Renamed' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await view(guest)).json().items.find((item: { id: string }) => item.id === event.id)).toMatchObject({ owner: { display_name: 'Olga Renamed' } });

    await primed(guest);
    const declined = await t.app.inject({ method: 'POST', url: `/api/events/${event.id}/respond`, headers: guest.headers, payload: { status: 'declined' } });
    expect(declined.statusCode).toBe(200);
    expect(titlesOf((await view(guest)).json().items, event.id)).toEqual([]);
    expect(titlesOf((await view(guest, `${MAY}&include_declined=true`)).json().items, event.id)).toHaveLength(4);
    await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: owner.headers, payload: { display_name: 'Olga Owner' } });
  });

  it('shows changes made behind the app (in SQL: a series, an override) and a deleted series', async () => {
    const event = await weeklyWithGuest('Gym');
    await primed(owner);
    await t.app.db.updateTable('events').set({ title: 'Gym (SQL)' }).where('id', '=', event.id).execute();
    expect(titlesOf((await view(owner)).json().items, event.id)).toEqual(['Gym (SQL)', 'Gym (SQL)', 'Gym (SQL)', 'Gym (SQL)']);
    // Through the app an override's change also bumps its series' version (its stored bounds);
    // in SQL only the override row changes, and that is read in full.
    const renamed = await patchEvent(t.app, owner, event.id, { scope: 'this', occurrence_start: '2026-05-11T09:00:00Z', title: 'Gym (once)' });
    expect(renamed.statusCode).toBe(200);
    expect(titlesOf(await primed(owner), event.id)).toEqual(['Gym (SQL)', 'Gym (once)', 'Gym (SQL)', 'Gym (SQL)']);
    const changed = await t.app.db
      .updateTable('event_overrides')
      .set({ changes: JSON.stringify({ title: 'Gym (override in SQL)' }) })
      .where('event_id', '=', event.id)
      .executeTakeFirst();
    expect(changed.numUpdatedRows).toBe(1n);
    expect(titlesOf((await view(owner)).json().items, event.id)).toEqual(['Gym (SQL)', 'Gym (override in SQL)', 'Gym (SQL)', 'Gym (SQL)']);
    await primed(owner);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/events/${event.id}`, headers: owner.headers })).statusCode).toBe(204);
    expect(titlesOf((await view(owner)).json().items, event.id)).toEqual([]);
  });

  it('follows the time zone that dates in the query are read in', async () => {
    const user = await registerUser(t.app, { timezone: 'UTC' });
    // Daily at 05:00 UTC: 1 May in UTC holds the one of 1 May; 1 May in Honolulu (10:00 UTC to
    // 10:00 UTC) the one of 2 May. The same series row either way: only the window differs.
    const event = await createEvent(t.app, user, { title: 'Early', start_at: '2026-04-30T05:00:00Z', end_at: '2026-04-30T05:30:00Z', rrule: 'FREQ=DAILY;COUNT=3' });
    const oneDay = 'from=2026-05-01&to=2026-05-02';
    const startsOf = (items: Array<{ id: string; start_at: string }>) => items.filter((item) => item.id === event.id).map((item) => item.start_at);
    expect(startsOf(await primed(user, oneDay))).toEqual(['2026-05-01T05:00:00.000Z']);
    const moved = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { timezone: 'Pacific/Honolulu' } });
    expect(moved.statusCode).toBe(200);
    expect(startsOf((await view(user, oneDay)).json().items)).toEqual(['2026-05-02T05:00:00.000Z']);
  });

  it('keeps each field set, page and user apart', async () => {
    const event = await weeklyWithGuest('Fields');
    const grid = `${MAY}&fields=title,start_at`;
    const partial = (await primed(owner, grid)).find((item: { id: string }) => item.id === event.id);
    expect(Object.keys(partial).sort()).toEqual(['id', 'start_at', 'title']);
    const full = (await view(owner)).json().items.find((item: { id: string }) => item.id === event.id);
    expect(full).toMatchObject({ my_role: 'owner', calendar_id: expect.any(String) });
    expect((await view(guest)).json().items.find((item: { id: string }) => item.id === event.id)).toMatchObject({ my_role: 'guest', calendar_id: null });

    const whole = (await view(owner)).json().items;
    const paged: unknown[] = [];
    let query = `${MAY}&limit=3`;
    for (let page = 0; page < 50; page++) {
      await primed(owner, query);
      const body = (await view(owner, query)).json();
      paged.push(...body.items);
      if (!body.next_page_token) break;
      query = `${MAY}&limit=3&page_token=${encodeURIComponent(body.next_page_token)}`;
    }
    expect(paged).toEqual(whole);
  });
});

describe('the answer cache, bounded and switched off', () => {
  const small = useTestApp({ ANSWER_CACHE_BYTES: '40000' });
  const off = useTestApp({ ANSWER_CACHE_BYTES: '0' });

  it('never holds more than ANSWER_CACHE_BYTES', async () => {
    const user = await registerUser(small.app);
    for (let day = 1; day <= 20; day++) {
      await createEvent(small.app, user, { title: `Day ${day} ${'x'.repeat(400)}`, start_at: `2026-05-${String(day).padStart(2, '0')}T09:00:00Z`, end_at: `2026-05-${String(day).padStart(2, '0')}T10:00:00Z` });
    }
    let largest = 0;
    for (let limit = 1; limit <= 20; limit++) {
      await view(user, `${MAY}&limit=${limit}`, small.app);
      largest = Math.max(largest, small.app.answers.size);
      expect(small.app.answers.size).toBeLessThanOrEqual(40_000);
    }
    expect(largest).toBeGreaterThan(20_000);
    expect(small.app.answers.misses).toBe(20);
  });

  it('answers the same with ANSWER_CACHE_BYTES=0, building every answer', async () => {
    const user = await registerUser(off.app);
    await createEvent(off.app, user, { title: 'Uncached', start_at: '2026-05-04T09:00:00Z', end_at: '2026-05-04T10:00:00Z', rrule: 'FREQ=DAILY;COUNT=5' });
    const first = await view(user, MAY, off.app);
    const second = await view(user, MAY, off.app);
    expect(second.body).toBe(first.body);
    expect(first.json().items).toHaveLength(5);
    expect([off.app.answers.hits, off.app.answers.misses, off.app.answers.size]).toEqual([0, 0, 0]);
  });
});
