import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, patchEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Issue 20, items 3 and 12: the years every date and instant must lie in, integers in query
// strings as decimal digits only, and a NUL byte answered like any other invalid field.
const t = useTestApp();

let user: SignedIn;

beforeAll(async () => {
  user = await registerUser(t.app);
});

type Answer = { statusCode: number; body: string; json: () => { errors?: Array<{ path: string; message: string }> } };

function expectInvalid(response: Answer, path: string, label = path) {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(400);
  expect(response.json().errors, label).toEqual([expect.objectContaining({ path })]);
}

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: user.headers, payload });
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: user.headers });

describe('dates and instants lie in the years 1000..9999', () => {
  it('refuses events before the year 1000, naming the field', async () => {
    for (const start of ['0000-01-01T00:00:00Z', '0999-01-01T00:00:00Z', '0999-12-31T23:59:59Z']) {
      expectInvalid(await post('/api/events', { title: 'old', start_at: start, end_at: '2026-01-01T00:00:00Z' }), 'start_at', start);
    }
    const allDay = await post('/api/events', { title: 'old', all_day: true, start_at: '0999-06-01', end_at: '0999-06-02' });
    expect(allDay.statusCode).toBe(400);
    expect(allDay.json().errors.map((error: { path: string }) => error.path)).toEqual(['start_at', 'end_at']);
  });

  it('refuses an invited editor moving an occurrence before the year 1000', async () => {
    const owner = await registerUser(t.app);
    const event = await createEvent(t.app, owner, { title: 'Series', start_at: '2026-12-07T09:00:00Z', end_at: '2026-12-07T10:00:00Z', rrule: 'FREQ=DAILY;COUNT=3' });
    await t.app.inject({ method: 'POST', url: `/api/events/${event.id}/invitees`, headers: owner.headers, payload: { email: user.email, can_modify: true } });
    const moved = await patchEvent(t.app, user, event.id, { scope: 'this', occurrence_start: '2026-12-08T09:00:00Z', start_at: '0000-01-01T00:00:00Z' });
    expectInvalid(moved, 'start_at');
  });

  it('refuses times that are past the year 9999 in the event zone, where the export writes them', async () => {
    const late = { title: 'late', start_at: '9999-12-31T18:00:00Z', end_at: '9999-12-31T19:00:00Z' };
    expectInvalid(await post('/api/events', { ...late, timezone: 'Asia/Tokyo' }), 'start_at');
    expect((await post('/api/events', { ...late, timezone: 'UTC' })).statusCode).toBe(201);
  });

  it('refuses dates and instants outside the range everywhere else, and accepts its edges', async () => {
    expectInvalid(await post('/api/todos', { title: 'x', due_date: '0000-01-01' }), 'due_date', 'year 0');
    expectInvalid(await post('/api/todos', { title: 'x', due_date: '0999-12-31' }), 'due_date', 'year 999');
    expectInvalid(await post('/api/people', { name: 'x', birthday: '0900-05-01' }), 'birthday');
    expectInvalid(await post('/api/reminders', { title: 'x', remind_at: '0001-01-01T00:00:00Z' }), 'remind_at');
    expectInvalid(await get('/api/events?from=0999-01-01'), 'from');
    expect((await post('/api/todos', { title: 'first', due_date: '1000-01-01' })).statusCode).toBe(201);
    expect((await post('/api/todos', { title: 'last', due_date: '9999-12-31' })).statusCode).toBe(201);
  });

  it('exports an event of the year 1000 as a calendar ical.js reads', async () => {
    const owner = await registerUser(t.app);
    await createEvent(t.app, owner, { title: 'Millennium', start_at: '1000-01-01T12:00:00Z', end_at: '1000-01-01T13:00:00Z' });
    const calendarId = (await t.app.inject({ method: 'GET', url: '/api/calendars', headers: owner.headers })).json().items[0].id;
    const text = (await t.app.inject({ method: 'GET', url: `/api/calendars/${calendarId}/ics`, headers: owner.headers })).body;
    const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent');
    if (!vevent) throw new Error(`no VEVENT in ${text}`);
    expect(new ICAL.Event(vevent).startDate.toJSDate().toISOString()).toBe('1000-01-01T12:00:00.000Z');
  });
});

describe('integers in query strings', () => {
  it('takes decimal digits only: 1e2, 0x10, +5, 5.0 and " 5" are a 400 naming the parameter', async () => {
    const urls = ['/api/todos?limit=', '/api/todos?offset=', '/api/people?limit=', '/api/search?q=milk&limit=', '/api/upcoming?days='];
    for (const url of urls) {
      for (const value of ['1e2', '0x10', '%2B5', '5.0', '%205', '']) {
        const name = /[?&](\w+)=$/.exec(url)?.[1] ?? '';
        expectInvalid(await get(`${url}${value}`), name, `${url}${value}`);
      }
    }
    expect((await get('/api/todos?limit=10&offset=0')).json()).toMatchObject({ limit: 10, offset: 0 });
    expect((await get('/api/todos?limit=007')).json()).toMatchObject({ limit: 7 });
  });
});

describe('NUL bytes', () => {
  it('are a 400 whose errors name the field, in bodies and query strings', async () => {
    expectInvalid(await post('/api/todos', { title: 'a\u0000b' }), 'title');
    expectInvalid(await post('/api/auth/login', { email: 'a\u0000@example.com', password: 'whatever-it-is' }), 'email');
    expectInvalid(await get('/api/todos?q=a%00b'), 'q');
    expectInvalid(await get('/api/search?q=ab%00cd'), 'q');
    expectInvalid(await get('/api/todos?category=%00'), 'category');
  });
});
