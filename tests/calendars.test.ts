import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

// The shared CRUD contract helper assumes an empty list at sign-up; every user has a default
// calendar, so the same rules are checked here directly.
describe('/api/calendars CRUD', () => {
  it('creates (201, version 1, ETag), reads, updates partially, clears color with null, honours If-Match', async () => {
    const user = await registerUser(t.app);
    const created = await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name: 'Work', color: '#3366ff' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const work = created.json();
    expect(work).toMatchObject({ name: 'Work', color: '#3366ff', is_default: false, version: 1 });
    expect(work).not.toHaveProperty('user_id');
    const url = `/api/calendars/${work.id}`;
    expect((await t.app.inject({ method: 'GET', url, headers: user.headers })).json()).toEqual(work);
    const renamed = await t.app.inject({ method: 'PUT', url, headers: { ...user.headers, 'if-match': '"1"' }, payload: { name: 'Office' } });
    expect(renamed.json()).toMatchObject({ name: 'Office', color: '#3366ff', version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    const stale = await t.app.inject({ method: 'PATCH', url, headers: { ...user.headers, 'if-match': '"1"' }, payload: { color: null } });
    expect(stale.statusCode).toBe(412);
    const cleared = await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: { color: null } });
    expect(cleared.json()).toMatchObject({ color: null, version: 3 });
    expect((await t.app.inject({ method: 'DELETE', url, headers: { ...user.headers, 'if-match': '"2"' } })).statusCode).toBe(412);
    expect((await t.app.inject({ method: 'DELETE', url, headers: user.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url, headers: user.headers })).statusCode).toBe(404);
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: 'ok', color: 'blue' }, 'color'],
    [{ name: 'ok', colour: '#ffffff' }, 'colour'],
  ])('refuses %o naming %s', async (payload, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('lists in the envelope, sorted by name or created_at, and refuses an unknown sort', async () => {
    const user = await registerUser(t.app);
    for (const name of ['b', 'C', 'a']) await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name } });
    const list = await t.app.inject({ method: 'GET', url: '/api/calendars?limit=2', headers: user.headers });
    expect(list.json()).toMatchObject({ total: 4, limit: 2, offset: 0 });
    expect((await calendars(user)).map((calendar: { name: string }) => calendar.name)).toEqual(['a', 'b', 'C', 'Personal']);
    const newest = await t.app.inject({ method: 'GET', url: '/api/calendars?sort=-created_at', headers: user.headers });
    expect(newest.json().items[0].name).toBe('a');
    expect((await t.app.inject({ method: 'GET', url: '/api/calendars?sort=color', headers: user.headers })).statusCode).toBe(400);
  });

  it("answers 404 for another user's calendar on every method", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const [theirs] = await calendars(owner);
    const url = `/api/calendars/${theirs.id}`;
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
      const response = await t.app.inject({ method, url, headers: stranger.headers, payload: method.startsWith('P') ? { name: 'Mine now' } : undefined });
      expect(response.statusCode, method).toBe(404);
    }
    expect((await calendars(stranger)).map((calendar: { id: string }) => calendar.id)).not.toContain(theirs.id);
    expect((await calendars(owner))[0]).toEqual(theirs);
  });
});

async function calendars(user: SignedIn) {
  const response = await t.app.inject({ method: 'GET', url: '/api/calendars', headers: user.headers });
  expect(response.statusCode).toBe(200);
  return response.json().items;
}

describe('calendars', () => {
  it('starts with the default "Personal"; new calendars are never the default and is_default is read-only', async () => {
    const user = await registerUser(t.app);
    expect(await calendars(user)).toEqual([expect.objectContaining({ name: 'Personal', is_default: true, version: 1 })]);
    const work = await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name: 'Work' } });
    expect(work.json()).toMatchObject({ name: 'Work', color: null, is_default: false });
    for (const method of ['POST', 'PATCH'] as const) {
      const url = method === 'POST' ? '/api/calendars' : `/api/calendars/${work.json().id}`;
      const response = await t.app.inject({ method, url, headers: user.headers, payload: { name: 'X', is_default: true } });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([{ path: 'is_default', message: 'Unknown field' }]);
    }
  });

  it('refuses to delete the default calendar with 409 and keeps it', async () => {
    const user = await registerUser(t.app);
    const [personal] = await calendars(user);
    const response = await t.app.inject({ method: 'DELETE', url: `/api/calendars/${personal.id}`, headers: user.headers });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(await calendars(user)).toHaveLength(1);
  });

  it('after another calendar becomes the default, the old one can be deleted', async () => {
    const user = await registerUser(t.app);
    const [personal] = await calendars(user);
    const work = (await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name: 'Work' } })).json();
    await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { default_calendar_id: work.id } });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/calendars/${work.id}`, headers: user.headers })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/calendars/${personal.id}`, headers: user.headers })).statusCode).toBe(204);
    expect(await calendars(user)).toEqual([expect.objectContaining({ id: work.id, is_default: true })]);
  });

  it('deleting a calendar deletes its events and nothing else', async () => {
    const user = await registerUser(t.app);
    const [personal] = await calendars(user);
    const trip = (await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name: 'Trip' } })).json();
    const times = { start_at: '2026-05-01T10:00:00Z', end_at: '2026-05-01T11:00:00Z' };
    const doomed = await createEvent(t.app, user, { ...times, title: 'Flight', calendar_id: trip.id });
    const kept = await createEvent(t.app, user, { ...times, title: 'Dentist', calendar_id: personal.id });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/calendars/${trip.id}`, headers: user.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${doomed.id}`, headers: user.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${kept.id}`, headers: user.headers })).statusCode).toBe(200);
  });
});
