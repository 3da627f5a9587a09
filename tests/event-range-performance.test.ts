import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listSeriesInRange } from '../src/modules/events/queries.ts';
import { useTestApp } from './helpers/app.ts';
import { createEvent, range, window } from './helpers/events.ts';
import { registerUser } from './helpers/users.ts';

const t = useTestApp();

// Ten years of history: 52,000 past single events (about fourteen a day), 100 weekly series that ended,
// 50 endless weekly series from 2016 and one COUNT series through the API. A month view must
// read the month's candidates, not the history.
describe('a month view with ten years of weekly series', () => {
  it('selects candidate series by range in SQL, on the range index', async () => {
    const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
    const calendarId = (await t.app.inject({ method: 'GET', url: '/api/calendars', headers: user.headers })).json().items[0].id;
    await sql`
      insert into events (calendar_id, title, start_at, end_at, timezone, series_start, series_end)
      select ${calendarId}, 'past ' || n, at, at + interval '1 hour', 'Europe/Berlin', at, at + interval '1 hour'
      from generate_series(1, 52000) as n, lateral (select timestamptz '2016-01-04 08:00Z' + n * interval '1 hour 40 minutes' as at) as t
    `.execute(t.db);
    await sql`
      insert into events (calendar_id, title, start_at, end_at, timezone, rrule, series_start, series_end)
      select ${calendarId}, 'ended ' || n, at, at + interval '1 hour', 'Europe/Berlin', 'FREQ=WEEKLY;UNTIL=20200101T000000Z', at, timestamptz '2020-01-01 01:00Z'
      from generate_series(1, 100) as n, lateral (select timestamptz '2016-01-04 08:00Z' + n * interval '1 hour' as at) as t
    `.execute(t.db);
    await sql`
      insert into events (calendar_id, title, start_at, end_at, timezone, rrule, series_start, series_end)
      select ${calendarId}, 'weekly ' || n, at, at + interval '1 hour', 'Europe/Berlin', 'FREQ=WEEKLY', at, null
      from generate_series(1, 50) as n, lateral (select timestamptz '2016-01-04 07:00Z' + n * interval '1 hour' as at) as t
    `.execute(t.db);
    await createEvent(t.app, user, { title: 'counted', start_at: '2016-01-05T09:00:00+01:00', end_at: '2016-01-05T10:00:00+01:00', rrule: 'FREQ=WEEKLY;COUNT=1000' });
    await sql`analyze events`.execute(t.db);

    const month = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
    const candidates = await listSeriesInRange(t.db, user.id, { ...month, includeDeclined: false });
    // The 50 endless series, the COUNT series (it runs to 2035) and nothing from the history.
    expect(candidates).toHaveLength(51);

    const started = performance.now();
    const items = await range(t.app, user, window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'));
    const elapsed = performance.now() - started;
    // Every candidate has four or five occurrences in March (the series start on different weekdays).
    expect(new Set(items.map((item) => item.id)).size).toBe(51);
    expect(items.length).toBeGreaterThan(51 * 4);
    expect(items.filter((item) => item.title === 'weekly 1').map((item) => item.start_at)).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-09T08:00:00.000Z',
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);

    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select e.id from events e
      where e.calendar_id in (select id from calendars where user_id = ${user.id}) and coalesce(e.series_end, 'infinity'::timestamptz) >= ${month.from} and e.series_start < ${month.to}
    `.execute(t.db);
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('events_calendar_series');
    console.log(`month view: ${items.length} occurrences in ${elapsed.toFixed(0)} ms\n${text}`);
  });
});
