import { generate } from 'json-schema-faker';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { fixtureFactory } from './helpers/fixtures.ts';
import { joinAs } from './helpers/households.ts';
import { type ApiOperation, fillPath, loadOperations } from './helpers/openapi.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Table-driven over every vault route of the OpenAPI document, so a route added later is covered
// without editing this file: a viewer reads everything (200) and is refused every write (403),
// which changes nothing; a member may write.

const t = useTestApp();

const VAULT = /^\/api\/households\/\{hid\}\/(items|people|vehicles|providers|saved-contacts)(\/|$)/;

let operations: ApiOperation[];
let owner: SignedIn;
let viewer: SignedIn;
let fixtures: ReturnType<typeof fixtureFactory>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

beforeAll(async () => {
  owner = await registerUser(t.app);
  viewer = await registerUser(t.app);
  const all = await loadOperations(t.app);
  operations = all.filter((operation) => VAULT.test(operation.path));
  fixtures = fixtureFactory(t.app, all, {});
});

/** A body that passes validation (its example, else a generated one), so the request reaches the access check. */
async function bodies(operation: ApiOperation): Promise<unknown[]> {
  if (!operation.body) return [undefined];
  const generated = [];
  for (let seed = 1; seed <= 20; seed++) generated.push(await generate(operation.body, { seed, optionalsProbability: [0, 0.5, 1][seed % 3] }));
  return [...operation.bodyExamples, ...generated];
}

describe('viewers on every vault route', () => {
  it('finds the vault routes (the table below is not empty)', () => {
    const routes = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/households/{hid}/items',
        'PATCH /api/households/{hid}/items/{id}',
        'POST /api/households/{hid}/items/{id}/links',
        'DELETE /api/households/{hid}/items/{id}/links/{child_id}',
        'PUT /api/households/{hid}/items/{id}/contacts/{contact_id}',
        'POST /api/households/{hid}/items/{id}/coverage/limits',
        'DELETE /api/households/{hid}/people/{id}',
        'GET /api/households/{hid}/saved-contacts',
      ]),
    );
    expect(operations.length).toBeGreaterThan(40);
  });

  it('read everything (200) and are refused every write (403), which changes nothing', async () => {
    const failures: string[] = [];
    const joined = new Set<string>();
    for (const operation of operations) {
      const params = await fixtures(operation.path, owner, operation.method === 'DELETE');
      // A DELETE's fresh fixtures live in a household of their own: the viewer joins each.
      if (params.hid && !joined.has(params.hid)) {
        await joinAs(t.db, params.hid, viewer, 'viewer');
        joined.add(params.hid);
      }
      const url = fillPath(operation.path, params);
      const readable = operations.some((candidate) => candidate.method === 'GET' && candidate.path === operation.path);
      const before = readable ? (await t.app.inject({ method: 'GET', url, headers: owner.headers })).body : undefined;
      let status = 400;
      let body = '';
      for (const payload of await bodies(operation)) {
        const response = await t.app.inject({ method: operation.method, url, headers: viewer.headers, payload: isRecord(payload) ? payload : undefined });
        status = response.statusCode;
        body = response.body;
        if (status !== 400) break;
      }
      const expected = operation.method === 'GET' ? 200 : 403;
      if (status !== expected) failures.push(`${operation.method} ${operation.path}: ${status} ${body.slice(0, 200)}`);
      if (expected === 403 && !/A household viewer may not create, change or delete vault records/.test(body)) failures.push(`${operation.method} ${operation.path}: ${body.slice(0, 200)}`);
      if (readable && (await t.app.inject({ method: 'GET', url, headers: owner.headers })).body !== before) failures.push(`${operation.method} ${operation.path} changed the record`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 180_000);

  it('while members and admins write', async () => {
    const owner2 = await registerUser(t.app);
    const member = await registerUser(t.app);
    const admin = await registerUser(t.app);
    const hid = (await t.app.inject({ method: 'GET', url: '/api/households', headers: owner2.headers })).json().items[0].id;
    await joinAs(t.db, hid, member, 'member');
    await joinAs(t.db, hid, admin, 'admin');
    const made = await t.app.inject({ method: 'POST', url: `/api/households/${hid}/people`, headers: member.headers, payload: { name: 'By a member' } });
    expect(made.statusCode).toBe(201);
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/households/${hid}/people/${made.json().id}`, headers: admin.headers });
    expect(removed.statusCode).toBe(204);
  });
});
