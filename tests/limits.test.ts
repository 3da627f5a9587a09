import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Every limit of the service in one place, each hit through HTTP: a clear 400/413 problem
// document naming what was too big, and nothing stored.
const t = useTestApp();

type Problem = { status: number; errors?: Array<{ path: string; message: string }> };

async function problem(user: SignedIn, method: 'GET' | 'POST', url: string, payload?: unknown, status = 400): Promise<Problem> {
  const body = payload === undefined ? {} : { payload: JSON.stringify(payload), headers: { ...user.headers, 'content-type': 'application/json' } };
  const response = await t.app.inject({ method, url, headers: user.headers, ...body });
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return response.json();
}

const paths = (body: Problem) => (body.errors ?? []).map((error) => error.path);

async function todoCount(user: SignedIn): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/api/todos', headers: user.headers })).json().total;
}

describe('limits', () => {
  it('a body over 1 MiB is a 413, and nothing is stored', async () => {
    const user = await registerUser(t.app);
    const body = await problem(user, 'POST', '/api/todos', { title: 'big', description: 'x'.repeat(1024 * 1024) }, 413);
    expect(body.status).toBe(413);
    expect(await todoCount(user)).toBe(0);
  });

  it('strings over their length are a 400 naming the field, and nothing is stored', async () => {
    const user = await registerUser(t.app);
    expect(paths(await problem(user, 'POST', '/api/todos', { title: 'x'.repeat(501) }))).toEqual(['title']);
    expect(paths(await problem(user, 'POST', '/api/todos', { title: 'ok', description: 'x'.repeat(10_001) }))).toEqual(['description']);
    expect(await todoCount(user)).toBe(0);
    const event = { start_at: '2027-01-01T09:00:00Z', end_at: '2027-01-01T10:00:00Z' };
    expect(paths(await problem(user, 'POST', '/api/events', { ...event, title: 'x'.repeat(501) }))).toEqual(['title']);
    expect(paths(await problem(user, 'POST', '/api/events', { ...event, title: 'ok', rrule: `FREQ=DAILY;${'BYHOUR=1;'.repeat(120)}` }))).toEqual(['rrule']);
  });

  it('a range of more than 366 days is a 400 naming `to`', async () => {
    const user = await registerUser(t.app);
    const body = await problem(user, 'GET', '/api/events?from=2027-01-01T00:00:00Z&to=2028-01-03T00:00:00Z');
    expect(paths(body)).toEqual(['to']);
  });

  it('an endless HOURLY rule pages instead of failing; SECONDLY and MINUTELY are refused at write', async () => {
    const user = await registerUser(t.app);
    await createEvent(t.app, user, { title: 'hourly', start_at: '2027-01-01T00:00:00Z', end_at: '2027-01-01T00:10:00Z', rrule: 'FREQ=HOURLY' });
    // A year of an hourly rule is 8,760 occurrences: the first 2,500, and a token for the rest.
    const year = await t.app.inject({ method: 'GET', url: '/api/events?from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z', headers: user.headers });
    expect(year.statusCode).toBe(200);
    expect(year.json().items).toHaveLength(2500);
    expect(year.json().next_page_token).toEqual(expect.any(String));
    // A week (168) fits one page.
    const week = await t.app.inject({ method: 'GET', url: '/api/events?from=2027-01-01T00:00:00Z&to=2027-01-08T00:00:00Z', headers: user.headers });
    expect(week.json().items).toHaveLength(168);
    expect(week.json().next_page_token).toBeUndefined();
    for (const rrule of ['FREQ=SECONDLY', 'FREQ=MINUTELY']) {
      const body = await problem(user, 'POST', '/api/events', { title: 'tick', start_at: '2027-01-01T00:00:00Z', end_at: '2027-01-01T00:00:01Z', rrule });
      expect(paths(body)).toEqual(['rrule']);
    }
  });

  it('`limit` and the other counts are bounded: out of range is a 400 naming the parameter', async () => {
    const user = await registerUser(t.app);
    for (const url of ['/api/todos?limit=0', '/api/todos?limit=201', '/api/todos?limit=ten', '/api/people?limit=1000000']) {
      expect(paths(await problem(user, 'GET', url)), url).toEqual(['limit']);
    }
    expect(paths(await problem(user, 'GET', '/api/todos?offset=-1'))).toEqual(['offset']);
    expect(paths(await problem(user, 'GET', '/api/search?q=milk&limit=101'))).toEqual(['limit']);
    expect(paths(await problem(user, 'GET', '/api/upcoming?days=91'))).toEqual(['days']);
    expect(paths(await problem(user, 'GET', '/api/upcoming?days=0'))).toEqual(['days']);
    expect(paths(await problem(user, 'GET', '/api/events?limit=0'))).toEqual(['limit']);
    expect(paths(await problem(user, 'GET', '/api/events?limit=2501'))).toEqual(['limit']);
    const edge = await t.app.inject({ method: 'GET', url: '/api/todos?limit=200', headers: user.headers });
    expect(edge.statusCode).toBe(200);
  });
});
