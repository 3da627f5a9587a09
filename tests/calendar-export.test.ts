import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { text as readText } from 'node:stream/consumers';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCalendarOverrides, listCalendarSeries } from '../src/modules/calendar-export/queries.ts';
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
  // A weekly series in UTC, the default zone of new users.
  await make('utc', { title: 'UTC review', start_at: '2026-03-27T15:00:00Z', end_at: '2026-03-27T16:00:00Z', timezone: 'UTC', rrule: 'FREQ=WEEKLY;COUNT=6' });
  // Series whose first start the rule does not produce (RFC 5545: it is still the first occurrence):
  // a Tuesday start of a Monday/Wednesday rule with its first occurrence moved, and an all-day
  // Sunday start of a monthly rule on the 1st with its first occurrence cancelled.
  await make('unsynced', { title: 'Off-rhythm', start_at: '2026-05-05T09:00:00+02:00', end_at: '2026-05-05T09:30:00+02:00', timezone: ZONE, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5' });
  await expectOk(await patchEvent(t.app, user, ids.unsynced ?? '', { scope: 'this', occurrence_start: '2026-05-05T07:00:00Z', start_at: '2026-05-05T10:00:00+02:00', end_at: '2026-05-05T10:30:00+02:00', title: 'Off-rhythm (first, later)' }));
  await make('unsyncedAllDay', { title: 'Rent', start_at: '2026-06-07', end_at: '2026-06-07', all_day: true, timezone: ZONE, rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=4' });
  await expectOk(await deleteEvent(t.app, user, ids.unsyncedAllDay ?? '', `scope=this&occurrence_start=${encodeURIComponent('2026-06-06T22:00:00Z')}`), 204);
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
        '2026-04-03T15:00:00.000Z -> 2026-04-03T16:00:00.000Z UTC review',
        '2026-05-05T08:00:00.000Z -> 2026-05-05T08:30:00.000Z Off-rhythm (first, later)',
        '2026-05-18T07:00:00.000Z -> 2026-05-18T07:30:00.000Z Off-rhythm',
        '2026-09-01 -> 2026-09-02 Rent',
      ]),
    );
    expect(shown.filter((line) => line.includes('Daily check'))).toHaveLength(9);
    expect(shown.some((line) => line.startsWith('2026-04-10T') && line.includes('Daily check'))).toBe(false);
    expect(shown.some((line) => line.startsWith('2026-03-30 '))).toBe(false);
    expect(shown.filter((line) => line.endsWith('Tuesday sync'))).toHaveLength(4);
    expect(shown.some((line) => line.includes('Invited') || line.includes('default calendar'))).toBe(false);
    expect(shown.filter((line) => line.includes('Off-rhythm'))).toHaveLength(5);
    expect(shown.filter((line) => line.endsWith(' Rent'))).toHaveLength(3);
  });

  it('agrees on narrow windows whose edges cut through occurrences', async () => {
    await compare('2026-04-08T12:30:00Z', '2026-04-12T12:00:00Z');
    await compare('2026-03-29T00:30:00Z', '2026-04-03T12:00:00Z');
    await compare('2026-10-24T00:00:00Z', '2026-11-03T00:00:00Z');
  });
});

/** The content lines of the text, folding undone (RFC 5545 3.1). */
function contentLines(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n');
}

/** The unfolded lines of the VEVENTs with this UID, master first. */
function veventLines(text: string, id: string): string[][] {
  const blocks = text.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT\r\n').slice(1);
  return blocks.filter((block) => block.includes(`UID:${id}@umbra\r\n`)).map((block) => block.split('END:VEVENT')[0]?.split('\r\n').filter(Boolean) ?? []);
}

describe('the exported text', () => {
  it('is text/calendar in UTF-8 with CRLF line ends and lines folded at 75 octets', async () => {
    const response = await exportText();
    await expectOk(response);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="Work _rger 2026.ics"; filename*=UTF-8''Work%20%C3%84rger%202026.ics`);
    const body = response.body;
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = body.split('\r\n').slice(0, -1);
    expect(Math.max(...lines.map((line) => Buffer.byteLength(line)))).toBeLessThanOrEqual(75);
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(3);
    // Folding is undone by a reader: the long text of the single event comes back whole.
    const single = parseCalendar(body).getAllSubcomponents('vevent').find((vevent) => vevent.getFirstPropertyValue('uid') === `${ids.single}@umbra`);
    expect(single?.getFirstPropertyValue('summary')).toBe('Flight ✈ to JFK; gate "B12", terminal 2');
    expect(single?.getFirstPropertyValue('description')).toBe(`Bring ${'passport, '.repeat(30)}and ümlaut-safe snacks 🥨\nSecond line`);
  });

  it('names the calendar and writes one UID per series with SEQUENCE from its version', async () => {
    const body = (await exportText()).body;
    const lines = contentLines(body);
    expect(lines).toEqual(expect.arrayContaining(['VERSION:2.0', 'PRODID:-//UMBRA//Calendar export//EN', 'X-WR-CALNAME:Work / Ärger "2026"', 'NAME:Work / Ärger "2026"', 'X-APPLE-CALENDAR-COLOR:#3366ff']));
    const daily = (await t.app.inject({ method: 'GET', url: `/api/events/${ids.daily}`, headers: user.headers })).json();
    const [master, ...overrides] = veventLines(body, ids.daily ?? '');
    expect(master).toEqual(expect.arrayContaining([`SEQUENCE:${daily.version - 1}`, 'RRULE:FREQ=DAILY;COUNT=10', 'DTSTART;TZID=Europe/Berlin:20260406T073000', 'DTEND;TZID=Europe/Berlin:20260406T080000', 'EXDATE;TZID=Europe/Berlin:20260410T073000']));
    // The moved occurrence and the one turned into an all-day event, each with its RECURRENCE-ID.
    expect(overrides).toHaveLength(2);
    expect(overrides[0]).toEqual(expect.arrayContaining(['RECURRENCE-ID;TZID=Europe/Berlin:20260408T073000', 'DTSTART;TZID=Europe/Berlin:20260408T140000', 'SUMMARY:Daily check (moved)', 'DESCRIPTION:Only this one']));
    expect(overrides[1]).toEqual(expect.arrayContaining(['RECURRENCE-ID;TZID=Europe/Berlin:20260412T073000', 'DTSTART;VALUE=DATE:20260412', 'DTEND;VALUE=DATE:20260413']));
  });

  it('states a first start that the rule does not produce as an RDATE, with COUNT as UNTIL at the last counted start', async () => {
    const body = (await exportText()).body;
    expect(veventLines(body, ids.unsynced ?? '')[0]).toEqual(
      expect.arrayContaining(['DTSTART;TZID=Europe/Berlin:20260505T090000', 'RDATE;TZID=Europe/Berlin:20260505T090000', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260518T070000Z']),
    );
    expect(veventLines(body, ids.unsyncedAllDay ?? '')[0]).toEqual(
      expect.arrayContaining(['DTSTART;VALUE=DATE:20260607', 'RDATE;VALUE=DATE:20260607', 'EXDATE;VALUE=DATE:20260607', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260901']),
    );
    // A rule that produces its first start keeps COUNT and needs no RDATE.
    expect(veventLines(body, ids.daily ?? '')[0]?.some((line) => line.startsWith('RDATE'))).toBe(false);
  });

  it('writes all-day events as DATE values with an exclusive DTEND, their EXDATE and RECURRENCE-ID as DATEs too', async () => {
    const body = (await exportText()).body;
    expect(veventLines(body, ids.holiday ?? '')[0]).toEqual(expect.arrayContaining(['DTSTART;VALUE=DATE:20260403', 'DTEND;VALUE=DATE:20260405']));
    const [master, ...overrides] = veventLines(body, ids.allDaySeries ?? '');
    expect(master).toEqual(expect.arrayContaining(['DTSTART;VALUE=DATE:20260302', 'DTEND;VALUE=DATE:20260303', 'RRULE:FREQ=WEEKLY;COUNT=12', 'EXDATE;VALUE=DATE:20260330']));
    expect(overrides[0]).toEqual(expect.arrayContaining(['RECURRENCE-ID;VALUE=DATE:20260316', 'DTSTART;VALUE=DATE:20260318', 'DTEND;VALUE=DATE:20260319']));
    expect(overrides[1]).toEqual(expect.arrayContaining(['RECURRENCE-ID;VALUE=DATE:20260413', 'DTSTART;TZID=Europe/Berlin:20260415T070000']));
  });

  it('gives every timed value a TZID with a VTIMEZONE of that name, one per zone used', async () => {
    const body = (await exportText()).body;
    const lines = contentLines(body);
    const used = new Set(lines.flatMap((line) => /^(?:DTSTART|DTEND|EXDATE|RECURRENCE-ID);TZID=([^:;]+):/.exec(line)?.[1] ?? []));
    const defined = lines.filter((line) => line.startsWith('TZID:')).map((line) => line.slice('TZID:'.length));
    expect([...used].sort()).toEqual(['America/New_York', 'Europe/Berlin', 'UTC']);
    expect(defined.sort()).toEqual(['America/New_York', 'Europe/Berlin', 'UTC']);
    // No timed value without a zone: every DATE-TIME of an event is either zoned or a timestamp.
    const events = contentLines(body.slice(body.indexOf('BEGIN:VEVENT'))).filter((line) => /^(DTSTART|DTEND|EXDATE|RECURRENCE-ID)[;:]/.test(line));
    expect(events.every((line) => line.includes(';TZID=') || line.includes(';VALUE=DATE:'))).toBe(true);
  });

  it('is the same text whatever the process time zone (exported again in processes at UTC-8 and UTC+14)', async () => {
    const response = await exportText();
    const calendar = { name: 'Work / Ärger "2026"', color: '#3366ff' };
    const scope = { userId: user.id, calendarId };
    const overrides = await listCalendarOverrides(t.db, scope);
    const series = (await listCalendarSeries(t.db, scope)).map((event) => ({ event, overrides: overrides.filter((row) => row.event_id === event.id) }));
    const exportIn = async (zone: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/ics-in-zone.ts'], { env: { ...process.env, TZ: zone }, stdio: ['pipe', 'pipe', 'inherit'] });
      child.stdin.end(JSON.stringify({ calendar, series }));
      const [output] = await Promise.all([readText(child.stdout), once(child, 'exit')]);
      return output;
    };
    const [losAngeles, kiritimati] = await Promise.all([exportIn('America/Los_Angeles'), exportIn('Pacific/Kiritimati')]);
    expect(losAngeles).toBe(response.body);
    expect(kiritimati).toBe(response.body);
  });
});

describe('who can export', () => {
  it("answers 404 for another user's calendar and for an unknown one", async () => {
    const stranger = await registerUser(t.app);
    const response = await exportText(stranger.headers);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).not.toContain('BEGIN:VCALENDAR');
    expect((await exportText(user.headers, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('answers 401 without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/calendars/${calendarId}/ics` })).statusCode).toBe(401);
  });
});
