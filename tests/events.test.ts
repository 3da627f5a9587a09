import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, deleteEvent, patchEvent, range, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

const hour = { start_at: '2026-06-01T09:00:00+02:00', end_at: '2026-06-01T10:00:00+02:00' };

async function getEvent(user: SignedIn, id: string) {
  return t.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: user.headers });
}

describe('event fields', () => {
  let validator: SignedIn | undefined;
  it('creates with the defaults: default calendar, your time zone, not all-day, no rule; ETag and version 1', async () => {
    const user = await registerUser(t.app, { timezone: 'America/New_York' });
    const settings = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json();
    const response = await t.app.inject({ method: 'POST', url: '/api/events', headers: user.headers, payload: { title: 'Lunch', ...hour } });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toMatchObject({
      calendar_id: settings.default_calendar_id,
      title: 'Lunch',
      description: null,
      location: null,
      location_id: null,
      start_at: '2026-06-01T07:00:00.000Z',
      end_at: '2026-06-01T08:00:00.000Z',
      all_day: false,
      timezone: 'America/New_York',
      rrule: null,
      version: 1,
      owner: { id: user.id, email: user.email, display_name: user.display_name },
      my_role: 'owner',
      my_status: null,
      can_modify: true,
      invitees: [],
    });
    const fetched = await getEvent(user, response.json().id);
    expect(fetched.json()).toEqual(response.json());
    expect(fetched.headers.etag).toBe('"1"');
  });

  it.each([
    [{ title: 'x', start_at: '2026-06-01T10:00:00Z', end_at: '2026-06-01T09:59:59Z' }, 'end_at'],
    [{ title: '', ...hour }, 'title'],
    [{ title: 'x'.repeat(501), ...hour }, 'title'],
    [{ title: 'x', ...hour, location: 'y'.repeat(501) }, 'location'],
    [{ title: 'x', start_at: '2026-06-01T09:00:00', end_at: '2026-06-01T10:00:00Z' }, 'start_at'],
    [{ title: 'x', ...hour, timezone: 'Mars/Olympus' }, 'timezone'],
    [{ title: 'x', ...hour, rrule: 'FREQ=SOMETIMES' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'BYDAY=MO' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'RRULE:FREQ=DAILY' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'FREQ=DAILY;BYMONTH=13' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'FREQ=DAILY;COUNT=0' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'rrule'],
    [{ title: 'x', ...hour, rrule: 'FREQ=DAILY;FOO=1' }, 'rrule'],
    [{ title: 'x', start_at: '2026-06-01', end_at: '2026-06-02' }, 'start_at'],
    [{ title: 'x', ...hour, version: 3 }, 'version'],
    [{ title: 'x', ...hour, scope: 'all' }, 'scope'],
    [{ title: 'x', end_at: hour.end_at }, 'start_at'],
  ])('refuses %o naming %s, creating nothing', async (payload, path) => {
    const user = (validator ??= await registerUser(t.app));
    const response = await t.app.inject({ method: 'POST', url: '/api/events', headers: user.headers, payload });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(await range(t.app, user, window('2026-05-01T00:00:00Z', '2026-07-01T00:00:00Z'))).toEqual([]);
  });

  it('accepts a zero-length event (end_at = start_at)', async () => {
    const user = await registerUser(t.app);
    const event = await createEvent(t.app, user, { title: 'Deadline', start_at: hour.start_at, end_at: hour.start_at });
    expect(event.end_at).toBe(event.start_at);
  });

  it("refuses another user's calendar_id and location_id with 400 naming the field", async () => {
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    const theirCalendar = (await t.app.inject({ method: 'GET', url: '/api/calendars', headers: other.headers })).json().items[0].id;
    const theirLocation = (await t.app.inject({ method: 'POST', url: '/api/locations', headers: other.headers, payload: { name: 'Their home' } })).json().id;
    const myLocation = (await t.app.inject({ method: 'POST', url: '/api/locations', headers: user.headers, payload: { name: 'Office' } })).json().id;
    for (const [field, value] of [['calendar_id', theirCalendar], ['location_id', theirLocation], ['calendar_id', '00000000-0000-4000-8000-000000000000']]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/events', headers: user.headers, payload: { title: 'x', ...hour, [field]: value } });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: field })]);
    }
    const event = await createEvent(t.app, user, { title: 'Meeting', ...hour, location_id: myLocation, location: 'Room 4' });
    expect(event).toMatchObject({ location_id: myLocation, location: 'Room 4' });
    const moved = await patchEvent(t.app, user, event.id, { location_id: theirLocation });
    expect(moved.statusCode).toBe(400);
    expect((await getEvent(user, event.id)).json()).toMatchObject({ location_id: myLocation, version: 1 });
    expect((await patchEvent(t.app, user, event.id, { location_id: null })).json()).toMatchObject({ location_id: null, version: 2 });
  });

  it('updates partially with PUT and PATCH, null clears, an empty change keeps the version, If-Match 412 changes nothing', async () => {
    const user = await registerUser(t.app);
    const event = await createEvent(t.app, user, { title: 'Standup', description: 'Daily', ...hour });
    const put = await t.app.inject({ method: 'PUT', url: `/api/events/${event.id}`, headers: user.headers, payload: { title: 'Stand-up' } });
    expect(put.json()).toMatchObject({ title: 'Stand-up', description: 'Daily', version: 2 });
    expect(put.headers.etag).toBe('"2"');
    expect((await patchEvent(t.app, user, event.id, { description: null })).json()).toMatchObject({ description: null, version: 3 });
    expect((await patchEvent(t.app, user, event.id, {})).json()).toMatchObject({ version: 3 });
    const stale = await patchEvent(t.app, user, event.id, { title: 'Late' }, { 'if-match': '"2"' });
    expect(stale.statusCode).toBe(412);
    expect((await deleteEvent(t.app, user, event.id, '', { 'if-match': '"2"' })).statusCode).toBe(412);
    expect((await getEvent(user, event.id)).json()).toMatchObject({ title: 'Stand-up', version: 3 });
    const fresh = await patchEvent(t.app, user, event.id, { title: 'On time' }, { 'if-match': '"3"' });
    expect(fresh.json()).toMatchObject({ title: 'On time', version: 4 });
    const tooEarly = await patchEvent(t.app, user, event.id, { end_at: '2026-06-01T06:00:00Z' });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().errors).toEqual([expect.objectContaining({ path: 'end_at' })]);
    expect((await deleteEvent(t.app, user, event.id, '', { 'if-match': '"4"' })).statusCode).toBe(204);
    expect((await getEvent(user, event.id)).statusCode).toBe(404);
  });

  it("answers 404 for another user's event on every method and leaves it alone", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const event = await createEvent(t.app, owner, { title: 'Private', ...hour, rrule: 'FREQ=DAILY;COUNT=3' });
    expect((await getEvent(stranger, event.id)).statusCode).toBe(404);
    for (const scope of ['all', 'this', 'following']) {
      const patch = await patchEvent(t.app, stranger, event.id, { title: 'Mine', scope, occurrence_start: event.start_at });
      expect(patch.statusCode, scope).toBe(404);
      const remove = await deleteEvent(t.app, stranger, event.id, `scope=${scope}&occurrence_start=${event.start_at}`);
      expect(remove.statusCode, scope).toBe(404);
    }
    expect(await range(t.app, stranger, window('2026-05-01T00:00:00Z', '2026-07-01T00:00:00Z'))).toEqual([]);
    expect((await getEvent(owner, event.id)).json()).toMatchObject({ title: 'Private', version: 1 });
  });
});

describe('all-day events', () => {
  it('store 00:00 of the first day and of the day after the last (end exclusive) in the event zone', async () => {
    const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
    const byDates = await createEvent(t.app, user, { title: 'Holiday', all_day: true, start_at: '2026-03-28', end_at: '2026-03-30' });
    // 28 March is CET (+01:00), 30 March already CEST (+02:00): two days of 24 and 23 hours.
    expect(byDates).toMatchObject({ start_at: '2026-03-27T23:00:00.000Z', end_at: '2026-03-29T22:00:00.000Z', all_day: true, timezone: 'Europe/Berlin' });
    const byInstants = await createEvent(t.app, user, { title: 'Fair', all_day: true, start_at: '2026-06-01T15:00:00+02:00', end_at: '2026-06-02T09:00:00+02:00' });
    expect(byInstants).toMatchObject({ start_at: '2026-05-31T22:00:00.000Z', end_at: '2026-06-02T22:00:00.000Z' });
    const oneDay = await createEvent(t.app, user, { title: 'Birthday', all_day: true, start_at: '2026-07-10', end_at: '2026-07-10', timezone: 'America/New_York' });
    expect(oneDay).toMatchObject({ start_at: '2026-07-10T04:00:00.000Z', end_at: '2026-07-11T04:00:00.000Z' });
    const reversed = await t.app.inject({ method: 'POST', url: '/api/events', headers: user.headers, payload: { title: 'x', all_day: true, start_at: '2026-07-10', end_at: '2026-07-09' } });
    expect(reversed.statusCode).toBe(400);
  });

  it('recur by local day across DST and show in a range of their dates', async () => {
    const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
    const event = await createEvent(t.app, user, { title: 'Gym day', all_day: true, start_at: '2026-03-27', end_at: '2026-03-28', rrule: 'FREQ=DAILY;COUNT=4' });
    const items = await range(t.app, user, 'from=2026-03-27&to=2026-03-31');
    expect(items.map((item) => [item.start_at, item.end_at])).toEqual([
      ['2026-03-26T23:00:00.000Z', '2026-03-27T23:00:00.000Z'],
      ['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
    ]);
    // A date range that starts on the second day does not show the first (it ends at 00:00 of that day).
    expect((await range(t.app, user, 'from=2026-03-28&to=2026-03-29')).map((item) => item.occurrence_start)).toEqual(['2026-03-27T23:00:00.000Z']);
    const timed = await patchEvent(t.app, user, event.id, { all_day: false, start_at: '2026-03-27T09:00:00+01:00', end_at: '2026-03-27T10:00:00+01:00' });
    expect(timed.json()).toMatchObject({ all_day: false, start_at: '2026-03-27T08:00:00.000Z' });
  });
});
