import { generate } from 'json-schema-faker';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { fixtureFactory } from './helpers/fixtures.ts';
import { type ApiOperation, fillPath, loadOperations } from './helpers/openapi.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Generated from the live OpenAPI document, so a route added later is covered without editing
// this file: every operation whose path names a record is called by a stranger with the owner's
// real ids, and must answer 404 (never 403, never 2xx) and leave the record as it was.
const t = useTestApp();

let operations: ApiOperation[];
let owner: SignedIn;
let stranger: SignedIn;
let invitee: SignedIn;

beforeAll(async () => {
  owner = await registerUser(t.app);
  stranger = await registerUser(t.app);
  invitee = await registerUser(t.app);
  operations = (await loadOperations(t.app)).filter((operation) => operation.path.startsWith('/api') && operation.pathParams.length > 0);
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe("another user's records", () => {
  it('are a 404 on every method of every route that takes an id, and stay unchanged', async () => {
    const ownersSettings = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: owner.headers })).json();
    const strangersSettings = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: stranger.headers })).json();
    // The owner's records; events are shared with a third user, never with the stranger.
    const fixtures = fixtureFactory(t.app, operations.concat(await loadOperations(t.app)), {
      email: invitee.email,
      calendar_id: ownersSettings.default_calendar_id,
      start_at: '2026-12-01T09:00:00Z',
      end_at: '2026-12-01T10:00:00Z',
    });
    const failures: string[] = [];
    for (const operation of operations) {
      const params = await fixtures(operation.path, owner, operation.method === 'DELETE');
      const url = fillPath(operation.path, params);
      // A DELETE on a path that also takes a POST needing no fields (a calendar's feed) gets that made first,
      // so the stranger's DELETE has something real to miss.
      if (operation.method === 'DELETE' && operations.some((candidate) => candidate.method === 'POST' && candidate.path === operation.path && !candidate.body?.required)) {
        const made = await t.app.inject({ method: 'POST', url, headers: owner.headers });
        if (made.statusCode >= 300) failures.push(`POST ${operation.path} as the owner: ${made.statusCode} ${made.body.slice(0, 200)}`);
      }
      const readable = operations.some((candidate) => candidate.method === 'GET' && candidate.path === operation.path);
      const before = readable ? (await t.app.inject({ method: 'GET', url, headers: owner.headers })).body : undefined;

      // A body that passes validation, so the request reaches the access check.
      let status = 400;
      let body = '';
      for (let seed = 1; seed <= 25 && status === 400; seed++) {
        // Vary how many optional fields are filled: some bodies need exactly one of several.
        const optionalsProbability = [0, 0.5, 1][seed % 3];
        // A few items per array: a schema allowing thousands (a key rotation's files) would otherwise
        // get thousands, each a chance to miss a pattern, and never a valid body.
        const generated = operation.body ? await generate(operation.body, { seed, optionalsProbability, maxItems: 3 }) : undefined;
        if (isRecord(generated)) {
          if ('calendar_id' in generated) generated.calendar_id = strangersSettings.default_calendar_id;
          if ('email' in generated) generated.email = owner.email;
          if ('start_at' in generated) generated.start_at = '2026-12-02T09:00:00Z';
          if ('end_at' in generated) generated.end_at = '2026-12-02T10:00:00Z';
        }
        const response = await t.app.inject({ method: operation.method, url, headers: stranger.headers, payload: isRecord(generated) ? generated : undefined });
        status = response.statusCode;
        body = response.body;
      }
      if (status !== 404) failures.push(`${operation.method} ${operation.path}: ${status} ${body.slice(0, 200)}`);
      if (readable) {
        const after = (await t.app.inject({ method: 'GET', url, headers: owner.headers })).body;
        if (after !== before) failures.push(`${operation.method} ${operation.path} changed the owner's record`);
      }
    }
    expect(failures.length, failures.join('\n')).toBe(0);
    expect(operations.map((operation) => `${operation.method} ${operation.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/todos/{id}',
        'PATCH /api/todos/{id}',
        'DELETE /api/locations/{id}',
        'PATCH /api/todos/{id}/toggle',
        'GET /api/calendars/{id}/ics',
        'POST /api/calendars/{id}/feed',
        'DELETE /api/calendars/{id}/feed',
        // Every household route: another household's id is a 404.
        'GET /api/households/{hid}',
        'PATCH /api/households/{hid}',
        'DELETE /api/households/{hid}',
        'GET /api/households/{hid}/members',
        'PATCH /api/households/{hid}/members/{user_id}',
        'DELETE /api/households/{hid}/members/{user_id}',
        'GET /api/households/{hid}/audit',
        'POST /api/households/{hid}/invitations',
        'GET /api/households/{hid}/invitations',
        'DELETE /api/households/{hid}/invitations/{id}',
        // An invitation addressed to someone else, answered by the stranger.
        'POST /api/household-invitations/{id}/accept',
        'POST /api/household-invitations/{id}/decline',
      ]),
    );
    // One request after another over every route (more than 150 with the vault's): bounded by the
    // route count, not by time; the ceiling leaves room for a busy machine.
  }, 180_000);
});
