import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

describeCrudContract(t, {
  path: '/api/locations',
  create: (n) => ({ name: `Place ${n}`, category: n % 2 ? 'work' : 'home' }),
  change: { name: 'Renamed place' },
  nullable: { field: 'address', value: '1 Main Street' },
  invalid: { payload: { latitude: 91, longitude: 0 }, path: 'latitude' },
  sorts: ['name', 'created_at'],
});

async function createLocation(user: SignedIn, payload: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url: '/api/locations', headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function names(user: SignedIn, query: string) {
  const response = await t.app.inject({ method: 'GET', url: `/api/locations?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { name: string }) => item.name);
}

describe('location coordinates', () => {
  it('stores both coordinates, or neither', async () => {
    const user = await registerUser(t.app);
    const both = await createLocation(user, { name: 'Office', latitude: 52.52, longitude: 13.405 });
    expect(both).toMatchObject({ latitude: 52.52, longitude: 13.405 });
    const neither = await createLocation(user, { name: 'Somewhere' });
    expect(neither).toMatchObject({ latitude: null, longitude: null });
  });

  it.each([
    [{ name: 'x', latitude: 10 }, 'longitude'],
    [{ name: 'x', longitude: 10 }, 'latitude'],
    [{ name: 'x', latitude: 10, longitude: null }, 'longitude'],
    [{ name: 'x', latitude: -90.5, longitude: 0 }, 'latitude'],
    [{ name: 'x', latitude: 0, longitude: 180.1 }, 'longitude'],
    [{ name: 'x', latitude: '52', longitude: 13 }, 'latitude'],
    [{ name: 'x', category: 'c'.repeat(51) }, 'category'],
  ])('refuses %o naming %s', async (payload, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'POST', url: '/api/locations', headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('refuses an update that would leave only one coordinate, and accepts changing or clearing both', async () => {
    const user = await registerUser(t.app);
    const location = await createLocation(user, { name: 'Cafe', latitude: 48.1, longitude: 11.6 });
    const url = `/api/locations/${location.id}`;
    for (const payload of [{ latitude: null }, { longitude: null }]) {
      const response = await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].message).toMatch(/both or neither/);
    }
    const moved = await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: { latitude: -33.9 } });
    expect(moved.json()).toMatchObject({ latitude: -33.9, longitude: 11.6 });
    const cleared = await t.app.inject({ method: 'PUT', url, headers: user.headers, payload: { latitude: null, longitude: null } });
    expect(cleared.json()).toMatchObject({ latitude: null, longitude: null });
    const lonely = await t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: { longitude: 5 } });
    expect(lonely.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url, headers: user.headers })).json()).toMatchObject({ latitude: null, longitude: null, version: 3 });
  });
});

describe('GET /api/locations', () => {
  it('filters by category and q, and sorts by name case-insensitively', async () => {
    const user = await registerUser(t.app);
    await createLocation(user, { name: 'bakery Lutz', category: 'food', address: 'Hauptstrasse 1' });
    await createLocation(user, { name: 'Office', category: 'work', notes: 'Badge needed at the hauptstrasse entrance' });
    await createLocation(user, { name: 'Airport', category: 'travel' });
    expect(await names(user, '')).toEqual(['Airport', 'bakery Lutz', 'Office']);
    expect(await names(user, 'sort=-name')).toEqual(['Office', 'bakery Lutz', 'Airport']);
    expect(await names(user, 'category=work')).toEqual(['Office']);
    expect(await names(user, 'q=HAUPTSTRASSE')).toEqual(['bakery Lutz', 'Office']);
    expect(await names(user, 'q=travel')).toEqual(['Airport']);
  });
});

describe('GET /api/locations/categories', () => {
  it('counts the categories in use, only your own', async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    await createLocation(user, { name: 'A', category: 'work' });
    await createLocation(user, { name: 'B', category: 'work' });
    await createLocation(user, { name: 'C', category: 'home' });
    await createLocation(user, { name: 'D' });
    await createLocation(stranger, { name: 'E', category: 'secret' });
    const response = await t.app.inject({ method: 'GET', url: '/api/locations/categories', headers: user.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [{ category: 'home', count: 1 }, { category: 'work', count: 2 }] });
  });
});
