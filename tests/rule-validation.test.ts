import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, deleteEvent, patchEvent, starts, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Issue 20, items 1 and 5: which rules may be written, and how a refusal reads. The work a
// refusal costs is bounded (checks on the text first, then a search with a step budget in a
// worker thread); how long it takes is measured by `npm run bench` (rules scenario), not here.
const t = useTestApp();

let user: SignedIn;

beforeAll(async () => {
  user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
});

const times = { start_at: '2026-01-01T00:00:00Z', end_at: '2026-01-01T01:00:00Z' };

function post(rrule: string, extra: Record<string, unknown> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/events', headers: user.headers, payload: { title: 'rule', ...times, rrule, ...extra } });
}

async function refusal(rrule: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await post(rrule, extra);
  expect(response.statusCode, `${rrule}: ${response.body}`).toBe(400);
  const errors: Array<{ path: string; message: string }> = response.json().errors;
  expect(errors.map((error) => error.path), rrule).toEqual(['rrule']);
  return errors[0]?.message ?? '';
}

/** Wording only the library uses: a refusal must be in ours. */
function expectOwnWords(message: string) {
  expect(message).not.toMatch(/Maximum iterations|exceeded in all\(\)|MUST|candidate/i);
}

describe('rules that can never be written', () => {
  it('refuses SECONDLY and MINUTELY, naming rrule', async () => {
    for (const rrule of ['FREQ=SECONDLY', 'FREQ=MINUTELY;COUNT=5', 'freq=secondly;interval=30']) {
      const message = await refusal(rrule);
      expect(message, rrule).toMatch(/^FREQ=(SECONDLY|MINUTELY) is not supported; use HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY$/);
    }
  });

  it('refuses the rules the probe found slow, in our own words', async () => {
    const slow = ['FREQ=YEARLY;BYWEEKNO=53;BYMONTH=1;BYMONTHDAY=1;BYDAY=MO', 'FREQ=MONTHLY;BYSETPOS=-366;BYDAY=MO', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'];
    for (const rrule of slow) expectOwnWords(await refusal(rrule));
    expect(await refusal('FREQ=MONTHLY;BYSETPOS=-366;BYDAY=MO')).toContain('BYSETPOS=366');
    expect(await refusal('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30')).toContain('never occurs');
  });

  it('answers eight such requests in parallel, each with its 400', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => post('FREQ=YEARLY;BYWEEKNO=53;BYMONTH=1;BYMONTHDAY=1;BYDAY=MO')));
    expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 8 }, () => 400));
    for (const response of responses) expectOwnWords(response.json().errors[0].message);
  });

  it('refuses part combinations RFC 5545 forbids, in our own words', async () => {
    for (const rrule of ['FREQ=MONTHLY;BYWEEKNO=3', 'FREQ=WEEKLY;BYMONTHDAY=3', 'FREQ=DAILY;BYYEARDAY=3', 'FREQ=WEEKLY;BYDAY=1MO', 'FREQ=YEARLY;BYWEEKNO=2;BYDAY=1MO', 'FREQ=DAILY;BYSETPOS=1']) {
      expectOwnWords(await refusal(rrule));
    }
  });

  it('refuses an UNTIL before the start, and a date UNTIL on a timed series', async () => {
    expect(await refusal('FREQ=DAILY;UNTIL=20251231T235959Z')).toBe('UNTIL lies before the start of the series');
    expect(await refusal('FREQ=DAILY;UNTIL=20251231', { all_day: true, start_at: '2026-01-01', end_at: '2026-01-02' })).toBe('UNTIL lies before the start of the series');
    expect(await refusal('FREQ=DAILY;UNTIL=20260330')).toContain('UNTIL in UTC');
  });
});

describe('rules that stay allowed', () => {
  it('takes rare and dense rules the checks must not mistake for impossible ones', async () => {
    const allowed: Array<[string, Record<string, unknown>]> = [
      ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', {}],
      ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', {}],
      ['FREQ=MONTHLY;BYMONTHDAY=31', {}],
      ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', {}],
      ['FREQ=HOURLY;BYMINUTE=0,15,30,45', {}],
      ['FREQ=WEEKLY;COUNT=10000', {}],
      ['FREQ=DAILY;UNTIL=20260101T000000Z', {}],
      ['FREQ=DAILY;UNTIL=20260101', { all_day: true, start_at: '2026-01-01', end_at: '2026-01-02' }],
    ];
    for (const [rrule, extra] of allowed) {
      const response = await post(rrule, extra);
      expect(response.statusCode, `${rrule}: ${response.body}`).toBe(201);
    }
  });

  it('still expands a COUNT rule to its last occurrence', async () => {
    const own = await registerUser(t.app);
    const event = await createEvent(t.app, own, { title: 'leap Mondays', start_at: '2024-02-29T09:00:00Z', end_at: '2024-02-29T10:00:00Z', timezone: 'UTC', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=TH;COUNT=2' });
    expect(await starts(t.app, own, window('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'), event.id)).toEqual(['2024-02-29T09:00:00.000Z']);
    expect(await starts(t.app, own, window('2052-01-01T00:00:00Z', '2053-01-01T00:00:00Z'), event.id)).toEqual(['2052-02-29T09:00:00.000Z']);
    expect(await starts(t.app, own, window('2080-01-01T00:00:00Z', '2081-01-01T00:00:00Z'), event.id)).toEqual([]);
  });
});

describe('a series stored before SECONDLY was refused', () => {
  it('can still be renamed, ended and deleted; a new rule or new times are checked as on create', async () => {
    const owner = await registerUser(t.app);
    const calendarId = (await t.app.inject({ method: 'GET', url: '/api/calendars', headers: owner.headers })).json().items[0].id;
    const start = new Date('2026-03-01T00:00:00Z');
    const { rows } = await sql<{ id: string }>`
      insert into events (calendar_id, title, start_at, end_at, timezone, rrule, series_start, series_end)
      values (${calendarId}, 'tick', ${start}, ${start}, 'UTC', 'FREQ=SECONDLY', ${start}, null) returning id
    `.execute(t.db);
    const id = rows[0]?.id ?? '';
    const renamed = await patchEvent(t.app, owner, id, { title: 'renamed' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const moved = await patchEvent(t.app, owner, id, { start_at: '2026-03-02T00:00:00Z', end_at: '2026-03-02T00:00:00Z' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().errors).toEqual([{ path: 'rrule', message: expect.stringContaining('FREQ=SECONDLY is not supported') }]);
    expect((await patchEvent(t.app, owner, id, { rrule: 'FREQ=SECONDLY;COUNT=5' })).statusCode).toBe(400);
    const ended = await deleteEvent(t.app, owner, id, 'scope=following&occurrence_start=2026-03-01T00:00:10Z');
    expect(ended.statusCode, ended.body).toBe(204);
    expect(await starts(t.app, owner, window('2026-03-01T00:00:00Z', '2026-03-01T00:01:00Z'), id)).toHaveLength(10);
    expect((await deleteEvent(t.app, owner, id)).statusCode).toBe(204);
  });
});
