import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, closeTestApp, type TestContext } from './helpers/app.ts';

// Built from the live route table, so every /api route added later is covered automatically.
const routes: RouteOptions[] = [];
let context: TestContext;

beforeAll(async () => {
  context = await buildTestApp({}, { onRoute: (route) => void routes.push(route) });
});
afterAll(async () => closeTestApp(context));

const PUBLIC = new Set(['POST /api/auth/register', 'POST /api/auth/login', 'GET /api/auth/status']);

describe('the session guard', () => {
  it('answers 401 on every /api route except register, login and status', async () => {
    const apiRoutes = routes.filter((route) => route.url.startsWith('/api'));
    expect(apiRoutes.length).toBeGreaterThan(5);
    const checked: string[] = [];
    for (const route of apiRoutes) {
      for (const method of [route.method].flat().filter((candidate) => candidate !== 'HEAD')) {
        const key = `${method} ${route.url}`;
        if (PUBLIC.has(key)) continue;
        const url = route.url.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
        const response = await context.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expect(response.statusCode, key).toBe(401);
        expect(response.headers['content-type'], key).toMatch(/problem\+json/);
        checked.push(key);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/settings', 'PATCH /api/settings', 'PUT /api/settings/password', 'POST /api/auth/logout']));
  });
});
