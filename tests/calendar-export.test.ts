import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, deleteEvent, patchEvent, range, window } from './helpers/events.ts';
import { expandCalendar, parseCalendar, shownByApi } from './helpers/ics.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

// The viewer's zone: all-day events are made in it, so both sides read their dates alike.
const ZONE = 'Europe/Berlin';
let user: SignedIn;
let calendarId: string;
const ids: Record<string, string> = {};

async function exportText(headers = user.headers, id = calendarId) {
  return t.app.inject({ method: 'GET', url: `/api/calendars/${id}/ics`, headers });
}

async function expectOk(response: { statusCode: number; body: string }, status = 200) {
  expect(response.statusCode, response.body).toBe(status);
}

beforeAll(async () => {
  user = await registerUser(t.app, { timezone: ZONE });
  const calendar = await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name: 'Work / Ärger "2026"', color: '#3366ff' } });
  await expectOk(calendar, 201);
  calendarId = calendar.json().id;
  const make = async (key: string, payload: Record<string, unknown>) => {
    ids[key] = (await createEvent(t.app, user, { calendar_id: calendarId, ...payload })).id;
  };
  // Weekly 09:00 Berlin across 29 March and 25 October.
  await make('berlin', { title: 'Berlin jour fixe', start_at: '2026-03-05T09:00:00+01:00', end_at: '2026-03-05T10:00:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20261112T235959Z', location: 'Room 1' });
  // Mondays and Wednesdays 18:00 New York across 8 March and 1 November.
  await make('newYork', { title: 'NY standup', start_at: '2026-03-02T18:00:00-05:00', end_at: '2026-03-02T18:15:00-05:00', timezone: 'America/New_York', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=80' });
  // Daily COUNT series: one occurrence moved and retitled, one cancelled, one turned all-day.
  await make('daily', { title: 'Daily check', start_at: '2026-04-06T07:30:00+02:00', end_at: '2026-04-06T08:00:00+02:00', timezone: ZONE, rrule: 'FREQ=DAILY;COUNT=10' });
  await expectOk(await patchEvent(t.app, user, ids.daily ?? '', { scope: 'this', occurrence_start: '2026-04-08T05:30:00Z', start_at: '2026-04-08T14:00:00+02:00', end_at: '2026-04-08T15:30:00+02:00', title: 'Daily check (moved)', description: 'Only this one' }));
  await expectOk(await deleteEvent(t.app, user, ids.daily ?? '', `scope=this&occurrence_start=${encodeURIComponent('2026-04-10T05:30:00Z')}`), 204);
  await expectOk(await patchEvent(t.app, user, ids.daily ?? '', { scope: 'this', occurrence_start: '2026-04-12T05:30:00Z', all_day: true, start_at: '2026-04-12', end_at: '2026-04-12' }));
  // A single all-day event over two days, and an all-day weekly series with a moved and a cancelled day.
  await make('holiday', { title: 'Easter break', start_at: '2026-04-03', end_at: '2026-04-05', all_day: true, timezone: ZONE });
  await make('allDaySeries', { title: 'Bin day', start_at: '2026-03-02', end_at: '2026-03-02', all_day: true, timezone: ZONE, rrule: 'FREQ=WEEKLY;COUNT=12' });
  await expectOk(await patchEvent(t.app, user, ids.allDaySeries ?? '', { scope: 'this', occurrence_start: '2026-03-15T23:00:00Z', start_at: '2026-03-18', end_at: '2026-03-18', title: 'Bin day (late)' }));
  await expectOk(await deleteEvent(t.app, user, ids.allDaySeries ?? '', `scope=this&occurrence_start=${encodeURIComponent('2026-03-29T22:00:00Z')}`), 204);
  await expectOk(await patchEvent(t.app, user, ids.allDaySeries ?? '', { scope: 'this', occurrence_start: '2026-04-12T22:00:00Z', all_day: false, start_at: '2026-04-15T07:00:00+02:00', end_at: '2026-04-15T07:30:00+02:00' }));
  // A series split with `following`: from the 5th Tuesday on, an hour later and renamed.
  await make('split', { title: 'Tuesday sync', start_at: '2026-05-05T11:00:00+02:00', end_at: '2026-05-05T11:45:00+02:00', timezone: ZONE, rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10' });
  const split = await patchEvent(t.app, user, ids.split ?? '', { scope: 'following', occurrence_start: '2026-06-02T09:00:00Z', start_at: '2026-06-02T12:00:00+02:00', end_at: '2026-06-02T12:45:00+02:00', title: 'Tuesday sync (new slot)' });
  await expectOk(split);
  ids.splitLater = split.json().id;
  // A single timed event in New York, with a long text that must be folded.
  await make('single', { title: 'Flight ✈ to JFK; gate "B12", terminal 2', description: `Bring ${'passport, '.repeat(30)}and ümlaut-safe snacks 🥨\nSecond line`, start_at: '2026-07-01T16:20:00-04:00', end_at: '2026-07-01T19:05:00-04:00', timezone: 'America/New_York' });
  // Elsewhere: another calendar of the same user, and an event someone else invites the user to.
  await createEvent(t.app, user, { title: 'In the default calendar', start_at: '2026-04-07T10:00:00+02:00', end_at: '2026-04-07T11:00:00+02:00' });
  const other = await registerUser(t.app, { timezone: ZONE });
  const invited = await createEvent(t.app, other, { title: 'Invited', start_at: '2026-04-07T12:00:00+02:00', end_at: '2026-04-07T13:00:00+02:00' });
  const invite = await t.app.inject({ method: 'POST', url: `/api/events/${invited.id}/invitees`, headers: other.headers, payload: { email: user.email } });
  await expectOk(invite, 201);
  await expectOk(await t.app.inject({ method: 'POST', url: `/api/events/${invited.id}/respond`, headers: user.headers, payload: { status: 'accepted' } }));
});

async function compare(from: string, to: string) {
  const api = await range(t.app, user, `${window(from, to)}&calendar_id=${calendarId}`);
  const response = await exportText();
  await expectOk(response);
  const calendar = parseCalendar(response.body);
  const shown = expandCalendar(calendar, { from: new Date(from), to: new Date(to), viewerZone: ZONE }, new Date('2028-01-01T00:00:00Z'));
  expect(shown).toEqual(api.map(shownByApi).sort());
  return shown;
}

describe('GET /api/calendars/{id}/ics read back by ical.js', () => {
  it('shows the same occurrences as GET /api/events over the year, overrides and cancellations included', async () => {
    const shown = await compare('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z');
    // The comparison saw every kind of occurrence, not an empty calendar.
    expect(shown.length).toBeGreaterThan(130);
    expect(shown).toEqual(
      expect.arrayContaining([
        '2026-03-26T08:00:00.000Z -> 2026-03-26T09:00:00.000Z Berlin jour fixe',
        '2026-04-02T07:00:00.000Z -> 2026-04-02T08:00:00.000Z Berlin jour fixe',
        '2026-10-29T08:00:00.000Z -> 2026-10-29T09:00:00.000Z Berlin jour fixe',
        '2026-03-04T23:00:00.000Z -> 2026-03-04T23:15:00.000Z NY standup',
        '2026-03-09T22:00:00.000Z -> 2026-03-09T22:15:00.000Z NY standup',
        '2026-11-02T23:00:00.000Z -> 2026-11-02T23:15:00.000Z NY standup',
        '2026-04-08T12:00:00.000Z -> 2026-04-08T13:30:00.000Z Daily check (moved)',
        '2026-04-12 -> 2026-04-13 Daily check',
        '2026-04-03 -> 2026-04-05 Easter break',
        '2026-03-18 -> 2026-03-19 Bin day (late)',
        '2026-04-15T05:00:00.000Z -> 2026-04-15T05:30:00.000Z Bin day',
        '2026-06-02T10:00:00.000Z -> 2026-06-02T10:45:00.000Z Tuesday sync (new slot)',
      ]),
    );
    expect(shown.filter((line) => line.includes('Daily check'))).toHaveLength(9);
    expect(shown.some((line) => line.startsWith('2026-04-10T'))).toBe(false);
    expect(shown.some((line) => line.startsWith('2026-03-30 '))).toBe(false);
    expect(shown.filter((line) => line.endsWith('Tuesday sync'))).toHaveLength(4);
    expect(shown.some((line) => line.includes('Invited') || line.includes('default calendar'))).toBe(false);
  });

  it('agrees on narrow windows whose edges cut through occurrences', async () => {
    await compare('2026-04-08T12:30:00Z', '2026-04-12T12:00:00Z');
    await compare('2026-03-29T00:30:00Z', '2026-04-03T12:00:00Z');
    await compare('2026-10-24T00:00:00Z', '2026-11-03T00:00:00Z');
  });
});
