import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { addDays } from './helpers/dates.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

type Json = Record<string, unknown>;

async function post(user: SignedIn, url: string, payload: Json) {
  const response = await t.app.inject({ method: 'POST', url, headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const createProject = (user: SignedIn, name = 'Project') => post(user, '/api/projects', { name });
const tasksUrl = (projectId: string) => `/api/projects/${projectId}/tasks`;
const createTask = (user: SignedIn, projectId: string, payload: Json) => post(user, tasksUrl(projectId), payload);

describeCrudContract(t, {
  path: '/api/projects/{id}/tasks',
  collection: async (user) => tasksUrl((await createProject(user)).id),
  idParam: 'task_id',
  create: (n) => ({
    title: `Task ${n}`,
    due_date: n % 3 ? addDays('2026-01-01', n % 4) : null,
    priority: (['none', 'low', 'medium', 'high'] as const)[n % 4],
  }),
  change: { title: 'Changed title' },
  nullable: { field: 'description', value: 'Some words' },
  invalid: { payload: { status: 'finished' }, path: 'status' },
  sorts: ['position', 'created_at', 'due_date', 'priority', 'title'],
});

async function titles(user: SignedIn, projectId: string, query = ''): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `${tasksUrl(projectId)}?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { title: string }) => item.title);
}

describe('task fields', () => {
  it('has the defaults of the contract and belongs to its project', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const task = await createTask(user, project.id, { title: 'Plan' });
    expect(task).toMatchObject({ project_id: project.id, description: null, status: 'todo', priority: 'none', due_date: null, position: 0 });
    expect(task).not.toHaveProperty('user_id');
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(501) }, 'title'],
    [{ title: 'ok', status: 'blocked' }, 'status'],
    [{ title: 'ok', priority: 'urgent' }, 'priority'],
    [{ title: 'ok', due_date: '2026-13-01' }, 'due_date'],
    [{ title: 'ok', position: 2_147_483_648 }, 'position'],
    [{ title: 'ok', position: -2_147_483_649 }, 'position'],
    [{ title: 'ok', position: 1.5 }, 'position'],
    [{ title: 'ok', project_id: '00000000-0000-4000-8000-000000000000' }, 'project_id'],
  ])('refuses %o naming %s, creating nothing', async (payload, path) => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const response = await t.app.inject({ method: 'POST', url: tasksUrl(project.id), headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await t.app.inject({ method: 'GET', url: tasksUrl(project.id), headers: user.headers })).json().total).toBe(0);
  });
});

describe('task positions and order', () => {
  it('puts a new task last in its own project, or where it says', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const other = await createProject(user, 'Other');
    await createTask(user, other.id, { title: 'elsewhere', position: 40 });
    expect((await createTask(user, project.id, { title: 'a' })).position).toBe(0);
    expect((await createTask(user, project.id, { title: 'b' })).position).toBe(1);
    expect((await createTask(user, project.id, { title: 'c', position: 10 })).position).toBe(10);
    const d = await createTask(user, project.id, { title: 'd' });
    expect(d.position).toBe(11);
    await t.app.inject({ method: 'DELETE', url: `${tasksUrl(project.id)}/${d.id}`, headers: user.headers });
    expect((await createTask(user, project.id, { title: 'e' })).position).toBe(11);
  });

  it('moves a task before the first one with a negative position, as any 32-bit integer', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    await createTask(user, project.id, { title: 'a' });
    await createTask(user, project.id, { title: 'b' });
    const c = await createTask(user, project.id, { title: 'c' });
    const moved = await t.app.inject({ method: 'PATCH', url: `${tasksUrl(project.id)}/${c.id}`, headers: user.headers, payload: { position: -1 } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().position).toBe(-1);
    expect(await titles(user, project.id)).toEqual(['c', 'a', 'b']);
    expect((await createTask(user, project.id, { title: 'lowest', position: -2_147_483_648 })).position).toBe(-2_147_483_648);
    expect(await titles(user, project.id)).toEqual(['lowest', 'c', 'a', 'b']);
  });

  it('still puts a new task last when the last one sits at the highest position', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    await createTask(user, project.id, { title: 'top', position: 2_147_483_647 });
    const next = await createTask(user, project.id, { title: 'after' });
    expect(next.position).toBe(2_147_483_647);
    expect(await titles(user, project.id)).toEqual(['top', 'after']);
  });

  it('gives concurrent creates distinct positions', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => createTask(user, project.id, { title: `t${i}` })));
    expect(created.map((task) => task.position).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('lists by position, then created_at, then id; sorts by the other fields; filters by status', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const a = await createTask(user, project.id, { title: 'a', priority: 'high', due_date: '2026-03-01' });
    await createTask(user, project.id, { title: 'B', status: 'done', due_date: '2026-01-01' });
    const c = await createTask(user, project.id, { title: 'c', status: 'in_progress', priority: 'low' });
    // c moves to the top, next to a: a was created first, so it stays ahead.
    await t.app.inject({ method: 'PATCH', url: `${tasksUrl(project.id)}/${c.id}`, headers: user.headers, payload: { position: a.position } });
    expect(await titles(user, project.id)).toEqual(['a', 'c', 'B']);
    expect(await titles(user, project.id, 'sort=-position')).toEqual(['B', 'c', 'a']);
    expect(await titles(user, project.id, 'sort=created_at')).toEqual(['a', 'B', 'c']);
    expect(await titles(user, project.id, 'sort=due_date')).toEqual(['B', 'a', 'c']);
    expect(await titles(user, project.id, 'sort=-due_date')).toEqual(['a', 'B', 'c']);
    expect(await titles(user, project.id, 'sort=-priority')).toEqual(['a', 'c', 'B']);
    expect(await titles(user, project.id, 'sort=title')).toEqual(['a', 'B', 'c']);
    expect(await titles(user, project.id, 'status=done')).toEqual(['B']);
    expect(await titles(user, project.id, 'status=todo')).toEqual(['a']);
    const page = await t.app.inject({ method: 'GET', url: `${tasksUrl(project.id)}?limit=1&offset=1`, headers: user.headers });
    expect(page.json()).toMatchObject({ total: 3, limit: 1, offset: 1, items: [expect.objectContaining({ title: 'c' })] });
  });

  it.each([['status=finished', 'status'], ['sort=name', 'sort'], ['project_id=x', 'project_id']])('refuses ?%s naming %s', async (query, path) => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const response = await t.app.inject({ method: 'GET', url: `${tasksUrl(project.id)}?${query}`, headers: user.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
  });
});

describe('tasks and their project', () => {
  it('is a 404 for a task addressed under another project of the same user, changing nothing', async () => {
    const user = await registerUser(t.app);
    const home = await createProject(user, 'Home');
    const work = await createProject(user, 'Work');
    const task = await createTask(user, home.id, { title: 'Fix the tap' });
    const wrong = `${tasksUrl(work.id)}/${task.id}`;
    for (const [method, payload] of [['GET', undefined], ['PUT', { title: 'x' }], ['PATCH', { title: 'x' }], ['DELETE', undefined]] as const) {
      const response = await t.app.inject({ method, url: wrong, headers: user.headers, payload });
      expect(response.statusCode, method).toBe(404);
      expect(response.json().detail, method).toBe('Task not found');
    }
    const stored = await t.app.inject({ method: 'GET', url: `${tasksUrl(home.id)}/${task.id}`, headers: user.headers });
    expect(stored.json()).toEqual(task);
    expect(await titles(user, work.id)).toEqual([]);
  });

  it("is a 404 on every route of another user's or an unknown project", async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const theirs = await createProject(stranger, 'Secret');
    const task = await createTask(stranger, theirs.id, { title: 'Hidden' });
    for (const projectId of [theirs.id, '00000000-0000-4000-8000-000000000000']) {
      const requests = [
        ['GET', tasksUrl(projectId), undefined],
        ['POST', tasksUrl(projectId), { title: 'Sneaky' }],
        ['GET', `${tasksUrl(projectId)}/${task.id}`, undefined],
        ['PUT', `${tasksUrl(projectId)}/${task.id}`, { title: 'x' }],
        ['PATCH', `${tasksUrl(projectId)}/${task.id}`, { title: 'x' }],
        ['DELETE', `${tasksUrl(projectId)}/${task.id}`, undefined],
      ] as const;
      for (const [method, url, payload] of requests) {
        const response = await t.app.inject({ method, url, headers: user.headers, payload });
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json().detail).toBe('Project not found');
      }
    }
    expect(await titles(stranger, theirs.id)).toEqual(['Hidden']);
  });

  it('answers malformed project and task ids with 400 naming the parameter', async () => {
    const user = await registerUser(t.app);
    const project = await createProject(user);
    const badProject = await t.app.inject({ method: 'GET', url: '/api/projects/nope/tasks', headers: user.headers });
    expect(badProject.statusCode).toBe(400);
    expect(badProject.json().errors).toEqual([expect.objectContaining({ path: 'id' })]);
    const badTask = await t.app.inject({ method: 'GET', url: `${tasksUrl(project.id)}/nope`, headers: user.headers });
    expect(badTask.statusCode).toBe(400);
    expect(badTask.json().errors).toEqual([expect.objectContaining({ path: 'task_id' })]);
  });
});
