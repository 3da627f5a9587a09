import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { addDays } from './helpers/dates.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

describeCrudContract(t, {
  path: '/api/projects',
  create: (n) => ({ name: `Project ${n}`, due_date: n % 3 ? addDays('2026-01-01', n % 5) : null }),
  change: { name: 'Renamed project' },
  nullable: { field: 'color', value: '#336699' },
  invalid: { payload: { color: 'blue' }, path: 'color' },
  sorts: ['name', 'created_at', 'due_date'],
});

type Json = Record<string, unknown>;

async function post(user: SignedIn, url: string, payload: Json) {
  const response = await t.app.inject({ method: 'POST', url, headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const createProject = (user: SignedIn, payload: Json) => post(user, '/api/projects', payload);
const createTask = (user: SignedIn, projectId: string, payload: Json) => post(user, `/api/projects/${projectId}/tasks`, payload);

async function getProject(user: SignedIn, id: string) {
  const response = await t.app.inject({ method: 'GET', url: `/api/projects/${id}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

async function names(user: SignedIn, query: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/projects?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { name: string }) => item.name);
}

describe('project fields', () => {
  it('has the defaults of the contract', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user, { name: 'Garden' });
    expect(project).toMatchObject({ description: null, status: 'active', color: null, due_date: null, task_count: 0, done_count: 0, progress: 0 });
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: 'ok', status: 'done' }, 'status'],
    [{ name: 'ok', color: '#fff' }, 'color'],
    [{ name: 'ok', color: '#12345g' }, 'color'],
    [{ name: 'ok', due_date: '2026-02-30' }, 'due_date'],
    [{ name: 'ok', description: 'x'.repeat(10001) }, 'description'],
    [{ name: 'ok', task_count: 3 }, 'task_count'],
    [{ name: 'ok', progress: 50 }, 'progress'],
  ])('refuses %o naming %s, creating nothing', async (payload, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'POST', url: '/api/projects', headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await t.app.inject({ method: 'GET', url: '/api/projects', headers: user.headers })).json().total).toBe(0);
  });

  it('accepts every status and a color in either case', async () => {
    const user = await registerUser(t.app);
    for (const status of ['planning', 'active', 'on_hold', 'completed', 'archived']) {
      expect((await createProject(user, { name: status, status, color: '#A1b2C3' })).status).toBe(status);
    }
  });
});

describe('project task counts and progress', () => {
  it('counts tasks and done tasks in every response, with progress rounded down', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user, { name: 'Move house' });
    const other = await createProject(user, { name: 'Other' });
    await createTask(user, other.id, { title: 'elsewhere', status: 'done' });
    const tasks = [];
    for (const title of ['pack', 'rent van', 'clean']) tasks.push(await createTask(user, project.id, { title }));
    const setStatus = (task: { id: string }, status: string) =>
      t.app.inject({ method: 'PATCH', url: `/api/projects/${project.id}/tasks/${task.id}`, headers: user.headers, payload: { status } });

    expect((await getProject(user, project.id)).json()).toMatchObject({ task_count: 3, done_count: 0, progress: 0 });
    await setStatus(tasks[0], 'done');
    expect((await getProject(user, project.id)).json()).toMatchObject({ task_count: 3, done_count: 1, progress: 33 });
    await setStatus(tasks[1], 'done');
    await setStatus(tasks[2], 'in_progress');
    expect((await getProject(user, project.id)).json()).toMatchObject({ task_count: 3, done_count: 2, progress: 66 });

    const listed = await t.app.inject({ method: 'GET', url: '/api/projects', headers: user.headers });
    expect(listed.json().items.map((item: Json) => [item.name, item.task_count, item.done_count, item.progress])).toEqual([
      ['Move house', 3, 2, 66],
      ['Other', 1, 1, 100],
    ]);
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/projects/${project.id}`, headers: user.headers, payload: { name: 'Moving' } });
    expect(renamed.json()).toMatchObject({ name: 'Moving', task_count: 3, done_count: 2, progress: 66, version: 2 });

    await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}/tasks/${tasks[2].id}`, headers: user.headers });
    expect((await getProject(user, project.id)).json()).toMatchObject({ task_count: 2, done_count: 2, progress: 100 });
    await setStatus(tasks[0], 'todo');
    expect((await getProject(user, project.id)).json()).toMatchObject({ task_count: 2, done_count: 1, progress: 50 });
  });

  it('keeps the project version and ETag when only its tasks change', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user, { name: 'Quiet' });
    const task = await createTask(user, project.id, { title: 'one' });
    await t.app.inject({ method: 'PATCH', url: `/api/projects/${project.id}/tasks/${task.id}`, headers: user.headers, payload: { status: 'done' } });
    const fetched = await getProject(user, project.id);
    expect(fetched.json()).toMatchObject({ version: 1, done_count: 1 });
    expect(fetched.headers.etag).toBe('"1"');
    const guarded = await t.app.inject({ method: 'PATCH', url: `/api/projects/${project.id}`, headers: { ...user.headers, 'if-match': '"1"' }, payload: { status: 'completed' } });
    expect(guarded.statusCode).toBe(200);
  });

  it('deletes the tasks with their project', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user, { name: 'Doomed' });
    const task = await createTask(user, project.id, { title: 'goes too' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}`, headers: user.headers })).statusCode).toBe(204);
    expect(await t.db.selectFrom('tasks').select('id').where('id', '=', task.id).execute()).toEqual([]);
    const tasks = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/tasks`, headers: user.headers });
    expect(tasks.statusCode).toBe(404);
    expect(tasks.json().detail).toBe('Project not found');
  });
});

describe('GET /api/projects', () => {
  it('filters by status and q, and sorts by name, created_at and due date (undated last)', async () => {
    const user = await registerUser(t.app);
    await createProject(user, { name: 'kitchen', description: 'New TILES and paint', due_date: '2026-05-01' });
    await createProject(user, { name: 'Bathroom tiles', status: 'planning' });
    await createProject(user, { name: 'Archive photos', status: 'archived', due_date: '2026-02-01' });
    expect(await names(user, '')).toEqual(['Archive photos', 'Bathroom tiles', 'kitchen']);
    expect(await names(user, 'sort=-name')).toEqual(['kitchen', 'Bathroom tiles', 'Archive photos']);
    expect(await names(user, 'sort=created_at')).toEqual(['kitchen', 'Bathroom tiles', 'Archive photos']);
    expect(await names(user, 'sort=-created_at')).toEqual(['Archive photos', 'Bathroom tiles', 'kitchen']);
    expect(await names(user, 'sort=due_date')).toEqual(['Archive photos', 'kitchen', 'Bathroom tiles']);
    expect(await names(user, 'sort=-due_date')).toEqual(['kitchen', 'Archive photos', 'Bathroom tiles']);
    expect(await names(user, 'status=planning')).toEqual(['Bathroom tiles']);
    expect(await names(user, 'status=active')).toEqual(['kitchen']);
    expect(await names(user, 'q=tiles')).toEqual(['Bathroom tiles', 'kitchen']);
    expect(await names(user, 'q=tiles&status=active')).toEqual(['kitchen']);
    expect(await names(user, 'q=PHOTO')).toEqual(['Archive photos']);
    expect(await names(user, 'q=100%25')).toEqual([]);
  });

  it.each([['status=done', 'status'], ['q=', 'q'], ['sort=progress', 'sort']])('refuses ?%s naming %s', async (query, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'GET', url: `/api/projects?${query}`, headers: user.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
  });
});
