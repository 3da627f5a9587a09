import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, range, starts, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

// Every expectation is the instant a reader of RFC 5545 computes by hand for the event's zone.

let user: SignedIn;
async function signedIn() {
  user ??= await registerUser(t.app, { timezone: 'Europe/Berlin' });
  return user;
}

async function series(payload: Record<string, unknown>) {
  return createEvent(t.app, await signedIn(), { title: 'Series', ...payload });
}

async function startsOf(id: string, from: string, to: string) {
  return starts(t.app, await signedIn(), window(from, to), id);
}

describe('occurrences across daylight-saving changes', () => {
  it('Europe/Berlin, spring: a weekly 09:00 stays 09:00 local after 29 March (08:00Z -> 07:00Z)', async () => {
    const event = await series({ start_at: '2026-03-19T09:00:00+01:00', end_at: '2026-03-19T10:00:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY' });
    const items = await range(t.app, await signedIn(), window('2026-03-15T00:00:00Z', '2026-04-10T00:00:00Z'));
    expect(items.filter((item) => item.id === event.id).map((item) => [item.start_at, item.end_at])).toEqual([
      ['2026-03-19T08:00:00.000Z', '2026-03-19T09:00:00.000Z'],
      ['2026-03-26T08:00:00.000Z', '2026-03-26T09:00:00.000Z'],
      ['2026-04-02T07:00:00.000Z', '2026-04-02T08:00:00.000Z'],
      ['2026-04-09T07:00:00.000Z', '2026-04-09T08:00:00.000Z'],
    ]);
  });

  it('Europe/Berlin, autumn: a weekly 09:00 stays 09:00 local after 25 October (07:00Z -> 08:00Z)', async () => {
    const event = await series({ start_at: '2026-10-15T09:00:00+02:00', end_at: '2026-10-15T09:30:00+02:00', timezone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;COUNT=3' });
    expect(await startsOf(event.id, '2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual([
      '2026-10-15T07:00:00.000Z',
      '2026-10-22T07:00:00.000Z',
      '2026-10-29T08:00:00.000Z',
    ]);
  });

  it('America/New_York, both directions: daily 18:00 across 8 March and 1 November', async () => {
    const spring = await series({ start_at: '2026-03-07T18:00:00-05:00', end_at: '2026-03-07T19:00:00-05:00', timezone: 'America/New_York', rrule: 'FREQ=DAILY;COUNT=3' });
    expect(await startsOf(spring.id, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-03-07T23:00:00.000Z',
      '2026-03-08T22:00:00.000Z',
      '2026-03-09T22:00:00.000Z',
    ]);
    const autumn = await series({ start_at: '2026-10-31T18:00:00-04:00', end_at: '2026-10-31T19:00:00-04:00', timezone: 'America/New_York', rrule: 'FREQ=DAILY;COUNT=3' });
    expect(await startsOf(autumn.id, '2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual([
      '2026-10-31T22:00:00.000Z',
      '2026-11-01T23:00:00.000Z',
      '2026-11-02T23:00:00.000Z',
    ]);
  });

  it('does not depend on the user\'s zone: a New York series seen by a Berlin user is at New York local time', async () => {
    const event = await series({ start_at: '2026-11-02T09:00:00-05:00', end_at: '2026-11-02T10:00:00-05:00', timezone: 'America/New_York', rrule: 'FREQ=WEEKLY;COUNT=2' });
    expect(await startsOf(event.id, '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual(['2026-11-02T14:00:00.000Z', '2026-11-09T14:00:00.000Z']);
  });

  it('a daily 02:30 series over the spring-forward day skips the local time that does not exist (RFC 5545 3.3.10), not counted by COUNT', async () => {
    const event = await series({ start_at: '2026-03-28T02:30:00+01:00', end_at: '2026-03-28T03:00:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=3' });
    expect(await startsOf(event.id, '2026-03-27T00:00:00Z', '2026-04-05T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('a series whose first start is the instant after the gap (03:30 CEST on 29 March) stays at 03:30 local', async () => {
    const event = await series({ start_at: '2026-03-29T02:30:00+01:00', end_at: '2026-03-29T03:00:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=2' });
    expect(event.start_at).toBe('2026-03-29T01:30:00.000Z');
    expect(await startsOf(event.id, '2026-03-27T00:00:00Z', '2026-04-05T00:00:00Z')).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T01:30:00.000Z']);
  });

  it('an ambiguous autumn time takes the first (daylight) instance, then keeps local time', async () => {
    const event = await series({ start_at: '2026-10-31T01:30:00-04:00', end_at: '2026-10-31T02:00:00-04:00', timezone: 'America/New_York', rrule: 'FREQ=DAILY;COUNT=3' });
    expect(await startsOf(event.id, '2026-10-30T00:00:00Z', '2026-11-05T00:00:00Z')).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });
});

describe('rules', () => {
  it('daily for 5 years: COUNT=1826 ends on the right day, and a month five years in reads 09:00 local', async () => {
    const event = await series({ start_at: '2026-01-01T09:00:00+01:00', end_at: '2026-01-01T09:15:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=1826' });
    const lastMonth = await startsOf(event.id, '2030-12-01T00:00:00Z', '2031-01-05T00:00:00Z');
    // 2026-01-01 + 1825 days = 2030-12-31 (2028 is the only leap year in between).
    expect(lastMonth).toHaveLength(31);
    expect(lastMonth.at(-1)).toBe('2030-12-31T08:00:00.000Z');
    const summer = await startsOf(event.id, '2030-07-01T00:00:00Z', '2030-07-03T00:00:00Z');
    expect(summer).toEqual(['2030-07-01T07:00:00.000Z', '2030-07-02T07:00:00.000Z']);
  });

  it('an infinite weekly series shows up decades later, at the same local time', async () => {
    const event = await series({ start_at: '2026-01-05T18:00:00+01:00', end_at: '2026-01-05T19:00:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(await startsOf(event.id, '2055-06-01T00:00:00Z', '2055-06-15T00:00:00Z')).toEqual(['2055-06-07T16:00:00.000Z', '2055-06-14T16:00:00.000Z']);
    expect(await startsOf(event.id, '2025-12-01T00:00:00Z', '2026-01-05T00:00:00Z')).toEqual([]);
  });

  it('monthly on the 31st skips months without one', async () => {
    const event = await series({ start_at: '2026-01-31T10:00:00Z', end_at: '2026-01-31T11:00:00Z', timezone: 'UTC', rrule: 'FREQ=MONTHLY;BYMONTHDAY=31' });
    expect(await startsOf(event.id, '2026-01-01T00:00:00Z', '2026-09-01T00:00:00Z')).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
      '2026-07-31T10:00:00.000Z',
      '2026-08-31T10:00:00.000Z',
    ]);
  });

  it('BYDAY with INTERVAL: every other week on Tuesday and Thursday', async () => {
    const event = await series({ start_at: '2026-06-02T08:00:00Z', end_at: '2026-06-02T09:00:00Z', timezone: 'UTC', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH' });
    expect(await startsOf(event.id, '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')).toEqual([
      '2026-06-02T08:00:00.000Z',
      '2026-06-04T08:00:00.000Z',
      '2026-06-16T08:00:00.000Z',
      '2026-06-18T08:00:00.000Z',
      '2026-06-30T08:00:00.000Z',
    ]);
  });

  it('UNTIL given in UTC is inclusive and read as an instant', async () => {
    const event = await series({ start_at: '2026-02-01T10:00:00+01:00', end_at: '2026-02-01T11:00:00+01:00', timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;UNTIL=20260203T090000Z' });
    expect(await startsOf(event.id, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([
      '2026-02-01T09:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-02-03T09:00:00.000Z',
    ]);
  });

  it('an all-day series may end with a date UNTIL (inclusive, in the event zone); a timed one may not', async () => {
    const event = await series({ all_day: true, start_at: '2026-03-28', end_at: '2026-03-29', timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;UNTIL=20260330' });
    expect(await startsOf(event.id, '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z')).toEqual(['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    const timed = await t.app.inject({ method: 'POST', url: '/api/events', headers: (await signedIn()).headers, payload: { title: 'x', start_at: '2026-03-28T10:00:00Z', end_at: '2026-03-28T11:00:00Z', rrule: 'FREQ=DAILY;UNTIL=20260330' } });
    expect(timed.statusCode).toBe(400);
    expect(timed.json().errors).toEqual([expect.objectContaining({ path: 'rrule', message: expect.stringContaining('UNTIL') })]);
  });

  it('stores the rule in one spelling (upper case) and refuses rules that can never occur again', async () => {
    const event = await series({ start_at: '2026-06-01T08:00:00Z', end_at: '2026-06-01T09:00:00Z', rrule: 'freq=weekly;byday=mo,tu;count=3' });
    expect(event.rrule).toBe('FREQ=WEEKLY;BYDAY=MO,TU;COUNT=3');
    const never = await t.app.inject({ method: 'POST', url: '/api/events', headers: (await signedIn()).headers, payload: { title: 'x', start_at: '2026-06-01T08:00:00Z', end_at: '2026-06-01T09:00:00Z', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2' } });
    expect(never.statusCode).toBe(400);
    expect(never.json().errors).toEqual([expect.objectContaining({ path: 'rrule' })]);
  });

  it('DTSTART counts as the first occurrence even when the rule would not produce it (RFC 5545)', async () => {
    const event = await series({ start_at: '2026-06-03T08:00:00Z', end_at: '2026-06-03T09:00:00Z', timezone: 'UTC', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' });
    expect(await startsOf(event.id, '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')).toEqual([
      '2026-06-03T08:00:00.000Z',
      '2026-06-08T08:00:00.000Z',
      '2026-06-15T08:00:00.000Z',
    ]);
  });

  it('range items say recurring, occurrence_start and is_exception; a single event has occurrence_start null', async () => {
    const single = await series({ start_at: '2026-09-01T08:00:00Z', end_at: '2026-09-01T09:00:00Z' });
    const weekly = await series({ start_at: '2026-09-01T10:00:00Z', end_at: '2026-09-01T11:00:00Z', rrule: 'FREQ=WEEKLY;COUNT=2' });
    const items = await range(t.app, await signedIn(), window('2026-09-01T00:00:00Z', '2026-09-02T00:00:00Z'));
    expect(items.find((item) => item.id === single.id)).toMatchObject({ occurrence_start: null, recurring: false, is_exception: false });
    expect(items.find((item) => item.id === weekly.id)).toMatchObject({ occurrence_start: '2026-09-01T10:00:00.000Z', recurring: true, is_exception: false });
  });
});

describe('the range query', () => {
  let owner: SignedIn;
  const from = '2027-01-10T00:00:00Z';
  const to = '2027-01-11T00:00:00Z';

  it('applies the overlap rules at the boundaries', async () => {
    owner = await registerUser(t.app);
    const make = (title: string, start_at: string, end_at: string) => createEvent(t.app, owner, { title, start_at, end_at });
    await make('ends at from', '2027-01-09T23:00:00Z', from);
    await make('starts at to', to, '2027-01-11T01:00:00Z');
    await make('zero-length at from', from, from);
    await make('zero-length at to', to, to);
    await make('spans the window', '2027-01-09T00:00:00Z', '2027-01-12T00:00:00Z');
    await make('inside', '2027-01-10T12:00:00Z', '2027-01-10T13:00:00Z');
    await make('one ms over from', '2027-01-09T23:00:00Z', '2027-01-10T00:00:00.001Z');
    const titles = (await range(t.app, owner, window(from, to))).map((item) => item.title);
    expect(titles).toEqual(['spans the window', 'one ms over from', 'zero-length at from', 'inside']);
  });

  it('sorts by start then id, reads dates as 00:00 in your zone and defaults to 30 days from today', async () => {
    const tokyo = await registerUser(t.app, { timezone: 'Asia/Tokyo' });
    await createEvent(t.app, tokyo, { title: 'b', start_at: '2027-02-01T00:30:00+09:00', end_at: '2027-02-01T01:00:00+09:00' });
    await createEvent(t.app, tokyo, { title: 'a', start_at: '2027-01-31T23:30:00+09:00', end_at: '2027-02-01T00:30:00+09:00' });
    expect((await range(t.app, tokyo, 'from=2027-02-01&to=2027-02-02')).map((item) => item.title)).toEqual(['a', 'b']);
    const today = await createEvent(t.app, tokyo, { title: 'soon', start_at: new Date(Date.now() + 3_600_000).toISOString(), end_at: new Date(Date.now() + 7_200_000).toISOString() });
    const later = await createEvent(t.app, tokyo, { title: 'in 40 days', start_at: new Date(Date.now() + 40 * 86_400_000).toISOString(), end_at: new Date(Date.now() + 40 * 86_400_000 + 1).toISOString() });
    const ids = (await range(t.app, tokyo, '')).map((item) => item.id);
    expect(ids).toContain(today.id);
    expect(ids).not.toContain(later.id);
  });

  it.each([
    ['from=2027-01-02&to=2027-01-01', 'to'],
    ['from=2027-01-01&to=2027-01-01', 'to'],
    ['from=2027-01-01&to=2028-01-03', 'to'],
    ['from=yesterday', 'from'],
    ['from=2027-01-01T00:00:00', 'from'],
    ['calendar_id=00000000-0000-4000-8000-000000000000', 'calendar_id'],
    ['include_declined=yes', 'include_declined'],
    ['colour=red', 'colour'],
  ])('refuses ?%s naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/events?${query}`, headers: (await signedIn()).headers });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
  });

  it('accepts a span of exactly 366 days (a leap year in the user zone)', async () => {
    expect((await range(t.app, await signedIn(), 'from=2028-01-01&to=2029-01-01')).length).toBeGreaterThanOrEqual(0);
  });

  it('filters by calendar_id', async () => {
    const planner = await registerUser(t.app);
    const work = (await t.app.inject({ method: 'POST', url: '/api/calendars', headers: planner.headers, payload: { name: 'Work' } })).json();
    await createEvent(t.app, planner, { title: 'home', start_at: from, end_at: to });
    await createEvent(t.app, planner, { title: 'work', start_at: from, end_at: to, calendar_id: work.id });
    expect((await range(t.app, planner, `${window(from, to)}&calendar_id=${work.id}`)).map((item) => item.title)).toEqual(['work']);
  });

  it('pages a dense endless rule instead of refusing it: at most `limit` occurrences, then next_page_token', async () => {
    const busy = await registerUser(t.app);
    const everyMinute = Array.from({ length: 60 }, (_, minute) => minute).join(',');
    await createEvent(t.app, busy, { title: 'tick', start_at: '2026-01-01T00:00:00Z', end_at: '2026-01-01T00:00:30Z', rrule: `FREQ=HOURLY;BYMINUTE=${everyMinute}` });
    expect(await range(t.app, busy, window('2027-01-01T00:00:00Z', '2027-01-01T01:00:00Z'))).toHaveLength(60);
    const year = await t.app.inject({ method: 'GET', url: `/api/events?${window('2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z')}`, headers: busy.headers });
    expect(year.statusCode).toBe(200);
    expect(year.json().items).toHaveLength(2500);
    expect(year.json().items.at(-1).start_at).toBe(new Date(Date.parse('2027-01-01T00:00:00Z') + 2499 * 60_000).toISOString());
    expect(year.json().next_page_token).toEqual(expect.any(String));
    const small = await t.app.inject({ method: 'GET', url: `/api/events?${window('2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z')}&limit=7`, headers: busy.headers });
    expect(small.json().items).toHaveLength(7);
  });
});
