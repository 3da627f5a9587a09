import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { addDays, dateIn } from './helpers/dates.ts';
import { keepOffMidnight } from './helpers/midnight.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

describeCrudContract(t, {
  path: '/api/todos',
  create: (n) => ({ title: `Todo ${n}`, due_date: addDays('2026-01-01', n % 7), priority: (['none', 'low', 'medium', 'high'] as const)[n % 4] }),
  change: { title: 'Changed title' },
  nullable: { field: 'description', value: 'Some words' },
  invalid: { payload: { title: '' }, path: 'title' },
  sorts: ['due_date', 'created_at', 'priority', 'title'],
});

async function createTodo(user: SignedIn, payload: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url: '/api/todos', headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function listTitles(user: SignedIn, query: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/todos?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { title: string }) => item.title);
}

describe('todo fields', () => {
  it('has the defaults of the contract', async () => {
    const user = await registerUser(t.app);
    const todo = await createTodo(user, { title: 'Just a title' });
    expect(todo).toMatchObject({ description: null, due_date: null, priority: 'none', category: null, completed: false, completed_at: null });
  });

  it.each([
    [{ title: 'x'.repeat(501) }, 'title'],
    [{ title: 'ok', description: 'x'.repeat(10001) }, 'description'],
    [{ title: 'ok', due_date: '2026-02-30' }, 'due_date'],
    [{ title: 'ok', due_date: '26-2-3' }, 'due_date'],
    [{ title: 'ok', priority: 'urgent' }, 'priority'],
    [{ title: 'ok', category: 'x'.repeat(101) }, 'category'],
    [{ title: 'ok', completed: 'yes' }, 'completed'],
    [{ title: 'ok', completed_at: '2026-01-01T00:00:00Z' }, 'completed_at'],
    [{ title: 'ok', version: 7 }, 'version'],
  ])('refuses %o naming %s', async (payload, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'POST', url: '/api/todos', headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await t.app.inject({ method: 'GET', url: '/api/todos', headers: user.headers })).json().total).toBe(0);
  });

  it('accepts the bounds: a 500-character title and a 10000-character description', async () => {
    const user = await registerUser(t.app);
    const todo = await createTodo(user, { title: 'x'.repeat(500), description: 'y'.repeat(10000) });
    expect(todo.title).toHaveLength(500);
  });

  it('keeps completed_at: stamped when completed becomes true, kept while true, cleared when false', async () => {
    const user = await registerUser(t.app);
    const todo = await createTodo(user, { title: 'Finish me' });
    const done = (await t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}`, headers: user.headers, payload: { completed: true } })).json();
    expect(done.completed_at).toEqual(expect.stringMatching(/Z$/));
    const again = (await t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}`, headers: user.headers, payload: { completed: true, title: 'Finished' } })).json();
    expect(again.completed_at).toBe(done.completed_at);
    const undone = (await t.app.inject({ method: 'PUT', url: `/api/todos/${todo.id}`, headers: user.headers, payload: { completed: false } })).json();
    expect(undone).toMatchObject({ completed: false, completed_at: null, title: 'Finished' });
    const createdDone = await createTodo(user, { title: 'Already done', completed: true });
    expect(createdDone.completed_at).toEqual(expect.stringMatching(/Z$/));
  });
});

describe('PATCH /api/todos/{id}/toggle', () => {
  it('flips completed and completed_at, bumping the version', async () => {
    const user = await registerUser(t.app);
    const todo = await createTodo(user, { title: 'Toggle me' });
    const on = await t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}/toggle`, headers: user.headers });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ completed: true, completed_at: expect.any(String), version: 2 });
    expect(on.headers.etag).toBe('"2"');
    const off = await t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}/toggle`, headers: user.headers });
    expect(off.json()).toMatchObject({ completed: false, completed_at: null, version: 3 });
  });

  it('honours If-Match and is a 404 for another user', async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const todo = await createTodo(user, { title: 'Mine' });
    expect((await t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}/toggle`, headers: { ...user.headers, 'if-match': '"9"' } })).statusCode).toBe(412);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}/toggle`, headers: stranger.headers })).statusCode).toBe(404);
    const stored = (await t.app.inject({ method: 'GET', url: `/api/todos/${todo.id}`, headers: user.headers })).json();
    expect(stored).toMatchObject({ completed: false, version: 1 });
  });
});

describe('GET /api/todos filters', () => {
  keepOffMidnight(['Pacific/Kiritimati', 'Pacific/Pago_Pago']);
  it('filters by completed, priority, category, due range and q', async () => {
    const user = await registerUser(t.app);
    await createTodo(user, { title: 'Buy oat milk', priority: 'high', category: 'shopping', due_date: '2026-03-01' });
    await createTodo(user, { title: 'File taxes', description: 'Ask about the 100% deduction', priority: 'high', due_date: '2026-04-15' });
    await createTodo(user, { title: 'Call mum', priority: 'low', category: 'family', completed: true, due_date: '2026-03-02' });
    await createTodo(user, { title: 'Someday', category: 'shopping' });

    expect(await listTitles(user, 'completed=true')).toEqual(['Call mum']);
    expect(await listTitles(user, 'completed=false')).toEqual(['Buy oat milk', 'File taxes', 'Someday']);
    expect(await listTitles(user, 'priority=high')).toEqual(['Buy oat milk', 'File taxes']);
    expect(await listTitles(user, 'category=shopping')).toEqual(['Buy oat milk', 'Someday']);
    expect(await listTitles(user, 'due_from=2026-03-02&due_to=2026-04-15')).toEqual(['Call mum', 'File taxes']);
    expect(await listTitles(user, 'due_from=2026-03-01&due_to=2026-03-01')).toEqual(['Buy oat milk']);
    expect(await listTitles(user, 'q=MILK')).toEqual(['Buy oat milk']);
    expect(await listTitles(user, 'q=deduction')).toEqual(['File taxes']);
    expect(await listTitles(user, 'q=100%25')).toEqual(['File taxes']);
    expect(await listTitles(user, 'q=_')).toEqual([]);
    expect(await listTitles(user, 'priority=high&category=shopping&completed=false')).toEqual(['Buy oat milk']);
  });

  it.each([['completed=maybe', 'completed'], ['priority=urgent', 'priority'], ['due_from=2026-13-01', 'due_from'], ['overdue=1', 'overdue'], ['q=', 'q']])(
    'refuses ?%s naming %s',
    async (query, path) => {
      const user = await registerUser(t.app);
      const response = await t.app.inject({ method: 'GET', url: `/api/todos?${query}`, headers: user.headers });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
    },
  );

  // "Today" is the user's: at UTC+14 and UTC-11 it is rarely the server's date.
  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])('computes overdue from today in %s', async (timezone) => {
    const user = await registerUser(t.app, { timezone });
    const today = dateIn(timezone);
    await createTodo(user, { title: 'yesterday', due_date: addDays(today, -1) });
    await createTodo(user, { title: 'today', due_date: today });
    await createTodo(user, { title: 'tomorrow', due_date: addDays(today, 1) });
    await createTodo(user, { title: 'done yesterday', due_date: addDays(today, -1), completed: true });
    await createTodo(user, { title: 'undated' });
    expect(await listTitles(user, 'overdue=true')).toEqual(['yesterday']);
    expect(await listTitles(user, 'overdue=false')).toEqual(['done yesterday', 'today', 'tomorrow', 'undated']);
  });
});

describe('GET /api/todos sorts', () => {
  it('sorts by due date with undated last in both directions, and by priority none < low < medium < high', async () => {
    const user = await registerUser(t.app);
    await createTodo(user, { title: 'b', due_date: '2026-05-01', priority: 'low' });
    await createTodo(user, { title: 'A', priority: 'high' });
    await createTodo(user, { title: 'c', due_date: '2026-01-01', priority: 'none' });
    await createTodo(user, { title: 'D', due_date: '2026-03-01', priority: 'medium' });
    expect(await listTitles(user, '')).toEqual(['c', 'D', 'b', 'A']);
    expect(await listTitles(user, 'sort=due_date')).toEqual(['c', 'D', 'b', 'A']);
    expect(await listTitles(user, 'sort=-due_date')).toEqual(['b', 'D', 'c', 'A']);
    expect(await listTitles(user, 'sort=-priority')).toEqual(['A', 'D', 'b', 'c']);
    expect(await listTitles(user, 'sort=priority')).toEqual(['c', 'b', 'D', 'A']);
    expect(await listTitles(user, 'sort=title')).toEqual(['A', 'b', 'c', 'D']);
    expect(await listTitles(user, 'sort=-title')).toEqual(['D', 'c', 'b', 'A']);
    expect(await listTitles(user, 'sort=created_at')).toEqual(['b', 'A', 'c', 'D']);
    expect(await listTitles(user, 'sort=-created_at')).toEqual(['D', 'c', 'A', 'b']);
  });

  it('breaks ties by id', async () => {
    const user = await registerUser(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await createTodo(user, { title: 'same', due_date: '2026-01-01' })).id);
    const response = await t.app.inject({ method: 'GET', url: '/api/todos?sort=title', headers: user.headers });
    expect(response.json().items.map((item: { id: string }) => item.id)).toEqual([...ids].sort());
    const descending = await t.app.inject({ method: 'GET', url: '/api/todos?sort=-title', headers: user.headers });
    expect(descending.json().items.map((item: { id: string }) => item.id)).toEqual([...ids].sort().reverse());
  });
});
