import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFeedToken } from '../src/modules/calendar-export/feed-token.ts';
import { buildTestApp, closeTestApp, type TestContext, useTestApp } from './helpers/app.ts';
import { createEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

let owner: SignedIn;
let calendarId: string;

type Feed = { url: string; path: string; token: string };

async function issueFeed(user: SignedIn, id: string, headers: Record<string, string> = {}): Promise<Feed> {
  const response = await t.app.inject({ method: 'POST', url: `/api/calendars/${id}/feed`, headers: { ...user.headers, ...headers } });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.headers['cache-control']).toBe('no-store');
  const { url } = response.json();
  const match = /^https?:\/\/[^/]+(\/feeds\/([A-Za-z0-9_-]{43})\.ics)$/.exec(url);
  if (!match?.[1] || !match[2]) throw new Error(`not a feed URL: ${url}`);
  return { url, path: match[1], token: match[2] };
}

/** The feed as a calendar app fetches it: no cookie, no session. */
function fetchFeed(path: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: path, headers });
}

beforeAll(async () => {
  owner = await registerUser(t.app, { timezone: 'Europe/Berlin' });
  const calendar = await t.app.inject({ method: 'POST', url: '/api/calendars', headers: owner.headers, payload: { name: 'Family' } });
  calendarId = calendar.json().id;
  await createEvent(t.app, owner, { calendar_id: calendarId, title: 'Swimming', start_at: '2026-05-04T17:00:00+02:00', end_at: '2026-05-04T18:00:00+02:00', rrule: 'FREQ=WEEKLY;COUNT=10' });
});

describe('POST /api/calendars/{id}/feed and GET /feeds/{token}.ics', () => {
  it('gives a long random URL whose feed, without a cookie, is the authenticated export', async () => {
    const feed = await issueFeed(owner, calendarId);
    // No PUBLIC_URL and no trusted proxy: the address the server listens on (HOST:PORT).
    expect(feed.url).toBe(`http://127.0.0.1:3000${feed.path}`);
    const response = await fetchFeed(feed.path);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('private, max-age=300');
    expect(response.headers['set-cookie']).toBeUndefined();
    const exported = await t.app.inject({ method: 'GET', url: `/api/calendars/${calendarId}/ics`, headers: owner.headers });
    expect(response.body).toBe(exported.body);
    expect(response.body).toContain('SUMMARY:Swimming');
    // A later change shows up on the next poll.
    await createEvent(t.app, owner, { calendar_id: calendarId, title: 'Dentist', start_at: '2026-05-06T08:00:00+02:00', end_at: '2026-05-06T08:30:00+02:00' });
    expect((await fetchFeed(feed.path)).body).toContain('SUMMARY:Dentist');
  });

  it('never builds the URL from a Host or X-Forwarded-* header TRUST_PROXY does not vouch for', async () => {
    const hosted = await issueFeed(owner, calendarId, { host: 'evil.example' });
    expect(hosted.url).toBe(`http://127.0.0.1:3000${hosted.path}`);
    // X-Forwarded-* is only believed from a trusted proxy (see the proxy tests below).
    const spoofed = await issueFeed(owner, calendarId, { host: 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
    expect(spoofed.url).toBe(`http://127.0.0.1:3000${spoofed.path}`);
  });

  it('stores only the SHA-256 of the token', async () => {
    const feed = await issueFeed(owner, calendarId);
    const rows = await t.db.selectFrom('calendar_feeds').selectAll().execute();
    expect(rows.find((row) => row.calendar_id === calendarId)?.token_hash).toBe(hashFeedToken(feed.token));
    expect(JSON.stringify(rows)).not.toContain(feed.token);
  });

  it('gives a new URL on a second POST and the old one stops working', async () => {
    const first = await issueFeed(owner, calendarId);
    const second = await issueFeed(owner, calendarId);
    expect(second.token).not.toBe(first.token);
    expect((await fetchFeed(first.path)).statusCode).toBe(404);
    expect((await fetchFeed(second.path)).statusCode).toBe(200);
    expect(await t.db.selectFrom('calendar_feeds').where('calendar_id', '=', calendarId).select('token_hash').execute()).toHaveLength(1);
  });

  it('is revoked by DELETE: 404 after, and a second DELETE is a 404', async () => {
    const feed = await issueFeed(owner, calendarId);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/calendars/${calendarId}/feed`, headers: owner.headers });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const after = await fetchFeed(feed.path);
    expect(after.statusCode).toBe(404);
    expect(after.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/calendars/${calendarId}/feed`, headers: owner.headers })).statusCode).toBe(404);
  });

  it('answers 404 for unknown and malformed tokens alike', async () => {
    const unknown = 'A'.repeat(43);
    for (const path of [`/feeds/${unknown}.ics`, '/feeds/short.ics', `/feeds/${'!'.repeat(43)}.ics`, `/feeds/${unknown}`, '/feeds/.ics']) {
      const response = await fetchFeed(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.body, path).not.toContain('BEGIN:VCALENDAR');
    }
  });

  it('is gone with its calendar', async () => {
    const calendar = await t.app.inject({ method: 'POST', url: '/api/calendars', headers: owner.headers, payload: { name: 'Short-lived' } });
    const id = calendar.json().id;
    const feed = await issueFeed(owner, id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/calendars/${id}`, headers: owner.headers })).statusCode).toBe(204);
    expect((await fetchFeed(feed.path)).statusCode).toBe(404);
    expect(await t.db.selectFrom('calendar_feeds').where('calendar_id', '=', id).selectAll().execute()).toEqual([]);
  });
});

describe("another user's calendar", () => {
  it('is a 404 on POST and DELETE of its feed, which keeps working', async () => {
    const feed = await issueFeed(owner, calendarId);
    const stranger = await registerUser(t.app);
    for (const method of ['POST', 'DELETE'] as const) {
      const response = await t.app.inject({ method, url: `/api/calendars/${calendarId}/feed`, headers: stranger.headers });
      expect(response.statusCode, `${method} ${response.body}`).toBe(404);
    }
    expect((await fetchFeed(feed.path)).statusCode).toBe(200);
  });

  it('needs a session to manage feeds', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/api/calendars/${calendarId}/feed` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/calendars/${calendarId}/feed` })).statusCode).toBe(401);
  });
});

describe('with PUBLIC_URL', () => {
  let configured: TestContext;
  beforeAll(async () => {
    configured = await buildTestApp({ PUBLIC_URL: 'https://cal.example.com/umbra/', TRUST_PROXY: 'true' });
  });
  afterAll(async () => closeTestApp(configured));

  it('starts every feed URL with it, whatever the request says', async () => {
    const user = await registerUser(configured.app);
    const { default_calendar_id } = (await configured.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json();
    const response = await configured.app.inject({
      method: 'POST',
      url: `/api/calendars/${default_calendar_id}/feed`,
      headers: { ...user.headers, host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    });
    expect(response.json().url).toMatch(/^https:\/\/cal\.example\.com\/umbra\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
  });
});

describe('behind a proxy TRUST_PROXY names by address', () => {
  let proxied: TestContext;
  beforeAll(async () => {
    proxied = await buildTestApp({ TRUST_PROXY: '10.0.0.1' });
  });
  afterAll(async () => closeTestApp(proxied));

  it('believes X-Forwarded-* from that proxy only, and never a bare Host header', async () => {
    const user = await registerUser(proxied.app);
    const { default_calendar_id } = (await proxied.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json();
    const issue = async (remoteAddress: string, headers: Record<string, string>) => {
      const response = await proxied.app.inject({ method: 'POST', url: `/api/calendars/${default_calendar_id}/feed`, headers: { ...user.headers, ...headers }, remoteAddress });
      expect(response.statusCode, response.body).toBe(201);
      return new URL(response.json().url).origin;
    };
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'umbra.example.org' };
    expect(await issue('10.0.0.1', forwarded)).toBe('https://umbra.example.org');
    expect(await issue('192.0.2.7', forwarded)).toBe('http://127.0.0.1:3000');
    expect(await issue('192.0.2.7', { host: 'evil.example' })).toBe('http://127.0.0.1:3000');
  });
});

describe('behind a trusted proxy, with request logging on', () => {
  const lines: string[] = [];
  let proxied: TestContext;
  beforeAll(async () => {
    proxied = await buildTestApp({ TRUST_PROXY: 'true', LOG_LEVEL: 'info' }, { logStream: { write: (line) => void lines.push(line) } });
  });
  afterAll(async () => closeTestApp(proxied));

  it('builds the URL from X-Forwarded-Proto and -Host, and never logs the token', async () => {
    const user = await registerUser(proxied.app);
    const { default_calendar_id } = (await proxied.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json();
    const response = await proxied.app.inject({
      method: 'POST',
      url: `/api/calendars/${default_calendar_id}/feed`,
      headers: { ...user.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'umbra.example.org' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const url: string = response.json().url;
    expect(url).toMatch(/^https:\/\/umbra\.example\.org\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    const path = new URL(url).pathname;
    expect((await proxied.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    expect((await proxied.app.inject({ method: 'GET', url: path.replace(/.{5}\.ics$/, 'xxxxx.ics') })).statusCode).toBe(404);
    const token = path.slice('/feeds/'.length, -'.ics'.length);
    expect(lines.some((line) => line.includes('/feeds/[redacted]'))).toBe(true);
    expect(lines.join('\n')).not.toContain(token.slice(0, 38));
  });
});
