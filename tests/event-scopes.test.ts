import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, deleteEvent, patchEvent, range, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();
let user: SignedIn;
beforeAll(async () => {
  user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
});

// Weekly on Mondays 09:00 Berlin from 2 March 2026 (CET, 08:00Z); from 30 March CEST (07:00Z).
const MARCH_AND_APRIL = window('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z');
const weekly = (rrule: string) => ({ title: 'Weekly', start_at: '2026-03-02T09:00:00+01:00', end_at: '2026-03-02T10:00:00+01:00', timezone: 'Europe/Berlin', rrule });

async function view(query = MARCH_AND_APRIL) {
  return (await range(t.app, user, query)).map((item) => ({ id: item.id, title: item.title, start: item.start_at, occurrence: item.occurrence_start, exception: item.is_exception }));
}
async function getEvent(id: string) {
  return (await t.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: user.headers })).json();
}
async function fresh(rrule: string) {
  // Each test owns its series; older ones are removed so the range shows only this one.
  for (const item of await range(t.app, user, MARCH_AND_APRIL)) await deleteEvent(t.app, user, item.id);
  return createEvent(t.app, user, weekly(rrule));
}

describe('scope this', () => {
  it('changes one occurrence (an override); the series and the other occurrences stay', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=4');
    expect((await view()).map((item) => item.start)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z', '2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z']);
    const response = await patchEvent(t.app, user, event.id, {
      scope: 'this',
      occurrence_start: '2026-03-09T09:00:00+01:00',
      title: 'Moved',
      start_at: '2026-03-10T14:00:00+01:00',
      end_at: '2026-03-10T15:00:00+01:00',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: event.id, title: 'Weekly', version: 2, rrule: 'FREQ=WEEKLY;COUNT=4' });
    expect(await view()).toEqual([
      { id: event.id, title: 'Weekly', start: '2026-03-02T08:00:00.000Z', occurrence: '2026-03-02T08:00:00.000Z', exception: false },
      { id: event.id, title: 'Moved', start: '2026-03-10T13:00:00.000Z', occurrence: '2026-03-09T08:00:00.000Z', exception: true },
      { id: event.id, title: 'Weekly', start: '2026-03-16T08:00:00.000Z', occurrence: '2026-03-16T08:00:00.000Z', exception: false },
      { id: event.id, title: 'Weekly', start: '2026-03-23T08:00:00.000Z', occurrence: '2026-03-23T08:00:00.000Z', exception: false },
    ]);
    // A second change of the same occurrence keeps what the first one set.
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-09T08:00:00Z', description: 'Room 2' });
    const [, moved] = await range(t.app, user, MARCH_AND_APRIL);
    expect(moved).toMatchObject({ title: 'Moved', description: 'Room 2', start_at: '2026-03-10T13:00:00.000Z', version: 3 });
  });

  it('a moved occurrence shows in the window it moved to, not in its original one', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=4');
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-02T08:00:00Z', start_at: '2026-04-20T08:00:00Z', end_at: '2026-04-20T09:00:00Z' });
    expect(await range(t.app, user, window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z'))).toEqual([]);
    const april = await range(t.app, user, window('2026-04-19T00:00:00Z', '2026-04-21T00:00:00Z'));
    expect(april.map((item) => [item.start_at, item.occurrence_start])).toEqual([['2026-04-20T08:00:00.000Z', '2026-03-02T08:00:00.000Z']]);
  });

  it.each([
    [{ title: 'x' }, 'occurrence_start'],
    [{ title: 'x', occurrence_start: '2026-03-03T08:00:00Z' }, 'occurrence_start'],
    [{ title: 'x', occurrence_start: '2026-03-30T08:00:00Z' }, 'occurrence_start'],
    [{ rrule: 'FREQ=DAILY', occurrence_start: '2026-03-09T08:00:00Z' }, 'rrule'],
    [{ timezone: 'UTC', occurrence_start: '2026-03-09T08:00:00Z' }, 'timezone'],
  ])('refuses %o with 400 naming %s, changing nothing', async (payload, path) => {
    const event = await fresh('FREQ=WEEKLY;COUNT=4');
    const response = await patchEvent(t.app, user, event.id, { scope: 'this', ...payload });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
    expect(await getEvent(event.id)).toMatchObject({ version: 1 });
    expect((await view()).every((item) => !item.exception)).toBe(true);
  });

  it('is ignored on a non-recurring event: a plain update', async () => {
    const single = await createEvent(t.app, user, { title: 'Once', start_at: '2026-06-01T08:00:00Z', end_at: '2026-06-01T09:00:00Z' });
    const response = await patchEvent(t.app, user, single.id, { scope: 'this', title: 'Still once' });
    expect(response.json()).toMatchObject({ id: single.id, title: 'Still once', version: 2 });
    const following = await patchEvent(t.app, user, single.id, { scope: 'following', occurrence_start: '2020-01-01T00:00:00Z', title: 'Again' });
    expect(following.json()).toMatchObject({ id: single.id, title: 'Again', version: 3 });
  });
});

describe('scope following', () => {
  it('splits a COUNT series so the total stays the same; 200 with the new series', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=6');
    const response = await patchEvent(t.app, user, event.id, { scope: 'following', occurrence_start: '2026-03-16T08:00:00Z', title: 'Renamed' });
    expect(response.statusCode, response.body).toBe(200);
    const created = response.json();
    expect(created).toMatchObject({ title: 'Renamed', rrule: 'FREQ=WEEKLY;COUNT=4', start_at: '2026-03-16T08:00:00.000Z', end_at: '2026-03-16T09:00:00.000Z', version: 1 });
    expect(created.id).not.toBe(event.id);
    expect(response.headers.etag).toBe('"1"');
    expect(await getEvent(event.id)).toMatchObject({ rrule: 'FREQ=WEEKLY;COUNT=2', version: 2 });
    expect((await view()).map((item) => [item.title, item.start])).toEqual([
      ['Weekly', '2026-03-02T08:00:00.000Z'],
      ['Weekly', '2026-03-09T08:00:00.000Z'],
      ['Renamed', '2026-03-16T08:00:00.000Z'],
      ['Renamed', '2026-03-23T08:00:00.000Z'],
      ['Renamed', '2026-03-30T07:00:00.000Z'],
      ['Renamed', '2026-04-06T07:00:00.000Z'],
    ]);
  });

  it('counts cancelled occurrences before the split towards COUNT', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=5');
    expect((await deleteEvent(t.app, user, event.id, 'scope=this&occurrence_start=2026-03-09T08:00:00Z')).statusCode).toBe(204);
    const created = (await patchEvent(t.app, user, event.id, { scope: 'following', occurrence_start: '2026-03-16T08:00:00Z', title: 'B' })).json();
    expect(created.rrule).toBe('FREQ=WEEKLY;COUNT=3');
    expect((await getEvent(event.id)).rrule).toBe('FREQ=WEEKLY;COUNT=2');
    expect((await view()).map((item) => item.start)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('ends an endless series with UNTIL and moves the time of the new one; overrides after the split follow or are dropped', async () => {
    const event = await fresh('FREQ=WEEKLY');
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-02T08:00:00Z', title: 'First, special' });
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-23T08:00:00Z', title: 'Late special' });
    const created = (
      await patchEvent(t.app, user, event.id, { scope: 'following', occurrence_start: '2026-03-16T08:00:00Z', start_at: '2026-03-16T10:00:00+01:00', end_at: '2026-03-16T11:00:00+01:00' })
    ).json();
    expect(created).toMatchObject({ rrule: 'FREQ=WEEKLY', start_at: '2026-03-16T09:00:00.000Z' });
    expect((await getEvent(event.id)).rrule).toBe('FREQ=WEEKLY;UNTIL=20260316T075959Z');
    const items = await view(window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'));
    expect(items.map((item) => [item.id === event.id ? 'old' : 'new', item.title, item.start, item.exception])).toEqual([
      ['old', 'First, special', '2026-03-02T08:00:00.000Z', true],
      ['old', 'Weekly', '2026-03-09T08:00:00.000Z', false],
      ['new', 'Weekly', '2026-03-16T09:00:00.000Z', false],
      // The 23 March override was for 09:00; the new series is at 10:00, so it no longer exists.
      ['new', 'Weekly', '2026-03-23T09:00:00.000Z', false],
      ['new', 'Weekly', '2026-03-30T08:00:00.000Z', false],
    ]);
  });

  it('keeps overrides after the split when the occurrence times stay', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=4');
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-23T08:00:00Z', location: 'Elsewhere' });
    const created = (await patchEvent(t.app, user, event.id, { scope: 'following', occurrence_start: '2026-03-16T08:00:00Z', title: 'New' })).json();
    const last = (await range(t.app, user, MARCH_AND_APRIL)).at(-1);
    expect(last).toMatchObject({ id: created.id, title: 'New', location: 'Elsewhere', is_exception: true, occurrence_start: '2026-03-23T08:00:00.000Z' });
  });

  it('from the first occurrence changes the whole series (no empty old series)', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=2');
    const response = await patchEvent(t.app, user, event.id, { scope: 'following', occurrence_start: '2026-03-02T08:00:00Z', title: 'All of it' });
    expect(response.json()).toMatchObject({ id: event.id, title: 'All of it', rrule: 'FREQ=WEEKLY;COUNT=2', version: 2 });
    expect((await view()).map((item) => item.title)).toEqual(['All of it', 'All of it']);
  });
});

describe('scope all', () => {
  it('changes the series; overrides stay while their occurrence exists and are dropped when it does not', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=3');
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-09T08:00:00Z', title: 'Special' });
    await patchEvent(t.app, user, event.id, { title: 'Renamed', description: 'For all' });
    expect((await view()).map((item) => [item.title, item.exception])).toEqual([['Renamed', false], ['Special', true], ['Renamed', false]]);
    const special = (await range(t.app, user, MARCH_AND_APRIL))[1];
    expect(special).toMatchObject({ description: 'For all' });
    // Moving the series by an hour: the 09:00 occurrence the override was for no longer exists.
    const moved = await patchEvent(t.app, user, event.id, { scope: 'all', start_at: '2026-03-02T10:00:00+01:00', end_at: '2026-03-02T11:00:00+01:00' });
    expect(moved.json()).toMatchObject({ version: 4 });
    expect((await view()).map((item) => [item.title, item.start, item.exception])).toEqual([
      ['Renamed', '2026-03-02T09:00:00.000Z', false],
      ['Renamed', '2026-03-09T09:00:00.000Z', false],
      ['Renamed', '2026-03-16T09:00:00.000Z', false],
    ]);
  });

  it('a rule change to a shorter COUNT drops the occurrences and overrides after it; null makes it a single event', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=4');
    await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-23T08:00:00Z', title: 'Last' });
    await patchEvent(t.app, user, event.id, { rrule: 'FREQ=WEEKLY;COUNT=2' });
    expect((await view()).map((item) => item.start)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z']);
    await patchEvent(t.app, user, event.id, { rrule: 'FREQ=WEEKLY;COUNT=4' });
    expect((await view()).map((item) => item.title)).toEqual(['Weekly', 'Weekly', 'Weekly', 'Weekly']);
    await patchEvent(t.app, user, event.id, { rrule: null });
    expect(await view()).toEqual([{ id: event.id, title: 'Weekly', start: '2026-03-02T08:00:00.000Z', occurrence: null, exception: false }]);
  });
});

describe('DELETE with a scope', () => {
  it('this cancels one occurrence (an EXDATE): COUNT still counts it', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=3');
    const response = await deleteEvent(t.app, user, event.id, 'scope=this&occurrence_start=2026-03-09T09:00:00%2B01:00');
    expect(response.statusCode).toBe(204);
    expect((await view()).map((item) => item.start)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-16T08:00:00.000Z']);
    expect(await getEvent(event.id)).toMatchObject({ version: 2 });
    const again = await deleteEvent(t.app, user, event.id, 'scope=this&occurrence_start=2026-03-09T08:00:00Z');
    expect(again.statusCode).toBe(400);
    expect((await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-03-09T08:00:00Z', title: 'Back?' })).statusCode).toBe(400);
  });

  it('following ends the series before the occurrence', async () => {
    const event = await fresh('FREQ=WEEKLY');
    expect((await deleteEvent(t.app, user, event.id, 'scope=following&occurrence_start=2026-03-23T08:00:00Z')).statusCode).toBe(204);
    expect((await view()).map((item) => item.start)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z', '2026-03-16T08:00:00.000Z']);
    expect((await getEvent(event.id)).rrule).toBe('FREQ=WEEKLY;UNTIL=20260323T075959Z');
  });

  it('following from the first occurrence, and all, delete the event', async () => {
    const first = await fresh('FREQ=WEEKLY;COUNT=3');
    expect((await deleteEvent(t.app, user, first.id, 'scope=following&occurrence_start=2026-03-02T08:00:00Z')).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${first.id}`, headers: user.headers })).statusCode).toBe(404);
    const second = await fresh('FREQ=WEEKLY;COUNT=3');
    expect((await deleteEvent(t.app, user, second.id, 'scope=all')).statusCode).toBe(204);
    expect(await view()).toEqual([]);
  });

  it('refuses a missing or unreal occurrence_start with 400 and an unknown query parameter', async () => {
    const event = await fresh('FREQ=WEEKLY;COUNT=3');
    for (const query of ['scope=this', 'scope=following&occurrence_start=2026-03-10T08:00:00Z', 'scope=sometimes', 'force=true']) {
      expect((await deleteEvent(t.app, user, event.id, query)).statusCode, query).toBe(400);
    }
    expect(await view()).toHaveLength(3);
  });
});
