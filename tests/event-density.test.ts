import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { addDays, dateIn } from './helpers/dates.ts';
import { createEvent, type Occurrence, patchEvent, deleteEvent, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { get, invite } from './helpers/views.ts';

// Issue 20, item 1: another user could break your calendar by inviting you to a dense series
// (every view of yours a 400 until you declined). Density never makes a view fail (API.md):
// GET /api/events pages, the dashboard and upcoming cut their events at 500.
const t = useTestApp();

const HOUR = 3_600_000;
const today = dateIn('UTC');
const midnight = Date.parse(`${today}T00:00:00Z`);
// From yesterday: the series fill today and the coming week, whatever day the suite runs.
const seriesStart = midnight - 24 * HOUR;

let bob: SignedIn;
let carol: SignedIn;
const bobSeries: Array<{ id: string; minute: number }> = [];
let carolSeries: { id: string };

type Page = { items: Occurrence[]; next_page_token?: string };

async function page(user: SignedIn, query: string): Promise<Page> {
  const response = await t.app.inject({ method: 'GET', url: `/api/events?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Every page of the query, following next_page_token to the end. */
async function allPages(user: SignedIn, query: string): Promise<{ pages: Page[]; items: Occurrence[] }> {
  const pages: Page[] = [];
  let token: string | undefined;
  do {
    const next = await page(user, token ? `${query}&page_token=${encodeURIComponent(token)}` : query);
    pages.push(next);
    token = next.next_page_token;
  } while (token && pages.length < 100);
  return { pages, items: pages.flatMap((each) => each.items) };
}

const keyOf = (item: Occurrence) => `${item.start_at}|${item.id}|${item.occurrence_start ?? item.start_at}`;
const compareKeys = (a: Occurrence, b: Occurrence) =>
  Date.parse(a.start_at) - Date.parse(b.start_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || Date.parse(a.occurrence_start ?? a.start_at) - Date.parse(b.occurrence_start ?? b.start_at);

beforeAll(async () => {
  bob = await registerUser(t.app);
  carol = await registerUser(t.app);
  // Seven hourly series of Bob's, each at its own minute past the hour, Carol invited to each
  // (some pending, some accepted), and a dense one of Carol's own: every other minute.
  for (let i = 0; i < 7; i++) {
    const start = new Date(seriesStart + i * 60_000).toISOString();
    const event = await createEvent(t.app, bob, { title: `spam ${i}`, start_at: start, end_at: start, rrule: 'FREQ=HOURLY' });
    bobSeries.push({ id: event.id, minute: i });
    await invite(t.app, bob, event.id, carol, i % 2 === 0 ? 'pending' : 'accepted');
  }
  const start = new Date(seriesStart).toISOString();
  const evenMinutes = Array.from({ length: 30 }, (_, i) => i * 2).join(',');
  carolSeries = await createEvent(t.app, carol, { title: 'dense', start_at: start, end_at: new Date(seriesStart + 60_000).toISOString(), rrule: `FREQ=HOURLY;BYMINUTE=${evenMinutes}` });
});

/** The occurrences the series have in [from, to), computed here from their rules, not by the API. */
function expectedKeys(from: number, to: number): string[] {
  const keys: string[] = [];
  for (let at = seriesStart; at < to; at += 2 * 60_000) {
    if (at >= from) keys.push(`${new Date(at).toISOString()}|${carolSeries.id}|${new Date(at).toISOString()}`);
  }
  for (const { id, minute } of bobSeries) {
    for (let at = seriesStart + minute * 60_000; at < to; at += HOUR) if (at >= from) keys.push(`${new Date(at).toISOString()}|${id}|${new Date(at).toISOString()}`);
  }
  return keys;
}

describe('a calendar flooded by invitations', () => {
  it('keeps every view of the invitee a 200', async () => {
    for (const url of ['/api/events', `/api/events?${window(new Date(midnight).toISOString(), new Date(midnight + 365 * 24 * HOUR).toISOString())}`, '/api/dashboard', '/api/upcoming?days=7', '/api/upcoming?days=90']) {
      const response = await t.app.inject({ method: 'GET', url, headers: carol.headers });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
    }
  });

  it('pages GET /api/events: followed to the end, exactly the occurrences of the window, each once, in order', async () => {
    const from = midnight;
    const to = midnight + 7 * 24 * HOUR;
    const query = `${window(new Date(from).toISOString(), new Date(to).toISOString())}&limit=500`;
    const { pages, items } = await allPages(carol, query);
    const expected = expectedKeys(from, to).sort((a, b) => a.localeCompare(b));
    expect(expected.length).toBe(7 * 24 * (30 + 7));
    expect(pages.length).toBe(Math.ceil(expected.length / 500));
    for (const each of pages.slice(0, -1)) expect(each.items).toHaveLength(500);
    expect(pages.at(-1)?.next_page_token).toBeUndefined();
    const keys = items.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort((a, b) => a.localeCompare(b))).toEqual(expected);
    expect(items).toEqual([...items].sort(compareKeys));
    // The same pages again: a page token gives the same continuation every time.
    const again = await allPages(carol, query);
    expect(again.items.map(keyOf)).toEqual(keys);
  });

  it('gives the same occurrences paged as unpaged, day by day', async () => {
    const query = (from: number, to: number, extra = '') => `${window(new Date(from).toISOString(), new Date(to).toISOString())}${extra}`;
    const paged = (await allPages(carol, `${query(midnight, midnight + 2 * 24 * HOUR)}&limit=97`)).items.map(keyOf);
    const unpaged: string[] = [];
    for (let day = 0; day < 2; day++) {
      const single = await page(carol, query(midnight + day * 24 * HOUR, midnight + (day + 1) * 24 * HOUR));
      expect(single.next_page_token).toBeUndefined();
      unpaged.push(...single.items.map(keyOf));
    }
    expect(paged).toEqual(unpaged);
  });

  it('cuts the dashboard and upcoming at 500 events, the earliest, with truncated', async () => {
    const dashboard = await get(t.app, carol, '/api/dashboard');
    expect(dashboard.truncated).toBe(true);
    expect(dashboard.events_today).toHaveLength(500);
    expect(dashboard.events_today.map(keyOf)).toEqual(expectedKeys(midnight, midnight + 24 * HOUR).sort((a, b) => a.localeCompare(b)).slice(0, 500));
    const upcoming = await get(t.app, carol, '/api/upcoming?days=7');
    expect(upcoming.truncated).toBe(true);
    expect(upcoming.items.filter((item: { type: string }) => item.type === 'event')).toHaveLength(500);
    const calm = await registerUser(t.app);
    expect(await get(t.app, calm, '/api/dashboard')).toMatchObject({ truncated: false, events_today: [] });
    expect(await get(t.app, calm, '/api/upcoming')).toMatchObject({ truncated: false });
  });
});

describe('paging with moved and cancelled occurrences', () => {
  it('orders ties by id, then original start, and never loses or repeats a moved occurrence', async () => {
    const dave = await registerUser(t.app);
    const start = `${addDays(today, 1)}T08:00:00.000Z`;
    const series = await createEvent(t.app, dave, { title: 'daily', start_at: start, end_at: `${addDays(today, 1)}T09:00:00Z`, rrule: 'FREQ=DAILY;COUNT=6' });
    const single = await createEvent(t.app, dave, { title: 'single', start_at: `${addDays(today, 3)}T08:00:00Z`, end_at: `${addDays(today, 3)}T08:30:00Z` });
    // Day 5's occurrence moves onto day 3's start (two occurrences of one series at one time);
    // day 2's is cancelled; day 4's changes only its title.
    expect((await patchEvent(t.app, dave, series.id, { scope: 'this', occurrence_start: `${addDays(today, 5)}T08:00:00Z`, start_at: `${addDays(today, 3)}T08:00:00Z`, end_at: `${addDays(today, 3)}T09:00:00Z` })).statusCode).toBe(200);
    expect((await deleteEvent(t.app, dave, series.id, `scope=this&occurrence_start=${addDays(today, 2)}T08:00:00Z`)).statusCode).toBe(204);
    expect((await patchEvent(t.app, dave, series.id, { scope: 'this', occurrence_start: `${addDays(today, 4)}T08:00:00Z`, title: 'renamed' })).statusCode).toBe(200);
    const query = window(`${today}T00:00:00Z`, `${addDays(today, 10)}T00:00:00Z`);
    const whole = (await page(dave, query)).items;
    const ids = [series.id, single.id].sort();
    const at = (day: number) => `${addDays(today, day)}T08:00:00.000Z`;
    const day3 = [
      ...ids.flatMap((id) => (id === series.id ? [`${at(3)}|${id}|${at(3)}`, `${at(3)}|${id}|${at(5)}`] : [`${at(3)}|${id}|${at(3)}`])),
    ];
    expect(whole.map(keyOf)).toEqual([`${at(1)}|${series.id}|${at(1)}`, ...day3, `${at(4)}|${series.id}|${at(4)}`, `${at(6)}|${series.id}|${at(6)}`]);
    expect(whole.find((item) => item.occurrence_start === at(4))?.title).toBe('renamed');
    for (const limit of [1, 2, 3]) expect((await allPages(dave, `${query}&limit=${limit}`)).items.map(keyOf), `limit ${limit}`).toEqual(whole.map(keyOf));
  });
});

describe('page tokens', () => {
  it('belong to their query: another range, filter or user, or an edited token, is a 400 naming page_token', async () => {
    const query = `${window(new Date(midnight).toISOString(), new Date(midnight + 2 * 24 * HOUR).toISOString())}&limit=50`;
    const first = await page(carol, query);
    const token = first.next_page_token ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const refused = async (user: SignedIn, url: string) => {
      const response = await t.app.inject({ method: 'GET', url, headers: user.headers });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors, url).toEqual([expect.objectContaining({ path: 'page_token' })]);
    };
    const otherRange = window(new Date(midnight).toISOString(), new Date(midnight + 3 * 24 * HOUR).toISOString());
    await refused(carol, `/api/events?${otherRange}&limit=50&page_token=${token}`);
    await refused(carol, `/api/events?${query}&include_declined=true&page_token=${token}`);
    await refused(bob, `/api/events?${query}&page_token=${token}`);
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    decoded[1] += 1;
    await refused(carol, `/api/events?${query}&page_token=${Buffer.from(JSON.stringify(decoded)).toString('base64url')}`);
    await refused(carol, `/api/events?${query}&page_token=not-a-token`);
    // A token also works with another limit: it is a position, not a page number.
    const second = await page(carol, `${window(new Date(midnight).toISOString(), new Date(midnight + 2 * 24 * HOUR).toISOString())}&limit=10&page_token=${token}`);
    expect(second.items).toHaveLength(10);
    expect(Date.parse(second.items[0]?.start_at ?? '')).toBeGreaterThanOrEqual(Date.parse(first.items.at(-1)?.start_at ?? ''));
  });
});

describe('series stored before SECONDLY and MINUTELY were refused', () => {
  it('keep every view a 200: paged, and cut at 500', async () => {
    const owner = await registerUser(t.app);
    const erin = await registerUser(t.app);
    const calendarId = (await get(t.app, owner, '/api/calendars')).items[0].id;
    const start = new Date(seriesStart);
    // As such a series was stored: through the API of the time, now only past it.
    const inserted = await sql<{ id: string }>`
      insert into events (calendar_id, title, start_at, end_at, timezone, rrule, series_start, series_end)
      values (${calendarId}, 'tick', ${start}, ${start}, 'UTC', 'FREQ=SECONDLY', ${start}, null),
             (${calendarId}, 'tock', ${start}, ${start}, 'UTC', 'FREQ=MINUTELY', ${start}, null)
      returning id
    `.execute(t.db);
    for (const { id } of inserted.rows) await invite(t.app, owner, id, erin, 'pending');
    for (const url of ['/api/events', '/api/dashboard', '/api/upcoming?days=90']) {
      const response = await t.app.inject({ method: 'GET', url, headers: erin.headers });
      expect(response.statusCode, url).toBe(200);
    }
    expect((await get(t.app, erin, '/api/dashboard')).truncated).toBe(true);
    const hour = `${window(new Date(midnight).toISOString(), new Date(midnight + HOUR).toISOString())}`;
    const { pages, items } = await allPages(erin, hour);
    expect(pages.map((each) => each.items.length)).toEqual([2500, 3600 + 60 - 2500]);
    expect(new Set(items.map(keyOf)).size).toBe(3660);
    expect(items).toEqual([...items].sort(compareKeys));
  });
});
