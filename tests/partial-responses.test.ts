import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();
let user: SignedIn;

async function get(url: string) {
  return t.app.inject({ method: 'GET', url, headers: user.headers });
}

async function post(url: string, payload: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url, headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

function keysOf(items: Array<Record<string, unknown>>): string[][] {
  return items.map((item) => Object.keys(item));
}

beforeAll(async () => {
  user = await registerUser(t.app);
  for (const title of ['Milk', 'Bread', 'Eggs']) await post('/api/todos', { title, due_date: '2026-12-02', priority: 'high' });
  await post('/api/events', { title: 'Standup', start_at: '2026-12-01T09:00:00Z', end_at: '2026-12-01T09:15:00Z', rrule: 'FREQ=DAILY;COUNT=5' });
});

describe('partial responses (fields=)', () => {
  it('answers a todo list with only the named fields and the id, in the entity order, the envelope kept', async () => {
    const full = (await get('/api/todos?sort=title&limit=2')).json();
    const response = await get('/api/todos?sort=title&limit=2&fields=priority,title');
    expect(response.statusCode, response.body).toBe(200);
    const partial = response.json();
    expect(keysOf(partial.items)).toEqual([
      ['id', 'title', 'priority'],
      ['id', 'title', 'priority'],
    ]);
    expect(partial).toEqual({
      items: full.items.map(({ id, title, priority }: Record<string, unknown>) => ({ id, title, priority })),
      total: 3,
      limit: 2,
      offset: 0,
    });
  });

  it('leaves the full answer unchanged without fields, and always includes the id', async () => {
    const full = (await get('/api/todos?sort=title')).json();
    expect(Object.keys(full.items[0])).toEqual(expect.arrayContaining(['id', 'title', 'description', 'due_date', 'priority', 'completed', 'version', 'created_at']));
    expect(keysOf((await get('/api/todos?fields=id')).json().items)).toEqual([['id'], ['id'], ['id']]);
    // The same set in another order or with repeats is the same answer.
    expect((await get('/api/todos?sort=title&fields=title,id,title')).body).toBe((await get('/api/todos?sort=title&fields=id,title')).body);
  });

  it.each([['fields=titel'], ['fields=title,password_hash'], ['fields='], ['fields=title,,id']])('refuses %s with a 400 naming fields', async (query) => {
    const response = await get(`/api/todos?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    const errors: Array<{ path: string; message: string }> = response.json().errors;
    expect(errors).toEqual([{ path: 'fields', message: expect.stringMatching(/^Unknown field .*; choose from: id, /) }]);
  });

  it('answers the month view with a calendar grid field set, paging token kept and honoured', async () => {
    const month = '/api/events?from=2026-12-01&to=2027-01-01';
    const first = (await get(`${month}&limit=3&fields=id,title,start_at,end_at`)).json();
    expect(keysOf(first.items)).toEqual(Array(3).fill(['id', 'title', 'start_at', 'end_at']));
    expect(first.items[0]).toMatchObject({ title: 'Standup', start_at: '2026-12-01T09:00:00.000Z', end_at: '2026-12-01T09:15:00.000Z' });
    expect(typeof first.next_page_token).toBe('string');
    const rest = (await get(`${month}&limit=3&fields=id,title,start_at,end_at&page_token=${encodeURIComponent(first.next_page_token)}`)).json();
    expect(rest.items.map((item: { start_at: string }) => item.start_at)).toEqual(['2026-12-04T09:00:00.000Z', '2026-12-05T09:00:00.000Z']);
    expect(rest.next_page_token).toBeUndefined();
    const full = (await get(month)).json();
    expect(full.items).toHaveLength(5);
    expect(Object.keys(full.items[0])).toEqual(expect.arrayContaining(['owner', 'my_role', 'occurrence_start', 'recurring', 'rrule']));
  });

  it('takes fields on the automatic HEAD of a list too', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/api/todos?fields=title', headers: user.headers });
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength((await get('/api/todos?fields=title')).body));
    expect((await t.app.inject({ method: 'HEAD', url: '/api/todos?fields=nope', headers: user.headers })).statusCode).toBe(400);
  });

  it('works the same on a nested list (a project tasks)', async () => {
    const project = await post('/api/projects', { name: 'House' });
    await post(`/api/projects/${project.id}/tasks`, { title: 'Paint' });
    const tasks = (await get(`/api/projects/${project.id}/tasks?fields=title`)).json();
    expect(tasks.items).toEqual([{ id: expect.any(String), title: 'Paint' }]);
    expect(tasks.total).toBe(1);
  });

  it('is described in the OpenAPI document: the parameter with its names, the 200 with or without fields', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/todos/', '/api/events/', '/api/calendars/', '/api/projects/{id}/tasks/']) {
      const operation = document.paths[path]?.get ?? document.paths[path.replace(/\/$/, '')]?.get;
      expect(operation, path).toBeDefined();
      const fields = operation.parameters.find((parameter: { name: string }) => parameter.name === 'fields');
      expect(fields, path).toMatchObject({ in: 'query', required: false, schema: { type: 'string', pattern: expect.stringContaining('|version|') } });
      expect(fields.description ?? fields.schema.description).toContain('id is always included');
      expect(operation.responses['200'].content['application/json'].schema.anyOf, path).toHaveLength(2);
    }
  });
});
