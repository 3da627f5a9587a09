import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { create, get, invite } from './helpers/views.ts';

const t = useTestApp();

type Result = { type: string; id: string; title: string; snippet: string; rank: number; project_id?: string };

const search = async (user: SignedIn, query: string): Promise<Result[]> => (await get(t.app, user, `/api/search?${query}`)).items;
const q = (text: string) => `q=${encodeURIComponent(text)}`;
const hour = { start_at: '2026-12-01T09:00:00Z', end_at: '2026-12-01T10:00:00Z' };

describe('one word across every type', () => {
  let user: SignedIn;
  const ids: Record<string, string> = {};
  let projectId: string;

  beforeAll(async () => {
    user = await registerUser(t.app);
    // "Quokka" in a different field of each type.
    ids.todo = (await create(t.app, user, '/api/todos', { title: 'Feed the quokka' })).id;
    ids.event = (await createEvent(t.app, user, { title: 'Zoo visit', description: 'See the Quokka enclosure', ...hour })).id;
    ids.reminder = (await create(t.app, user, '/api/reminders', { title: 'Buy QUOKKA food', remind_at: '2026-12-01T09:00:00Z' })).id;
    const project = await create(t.app, user, '/api/projects', { name: 'Rottnest trip', description: 'to meet a quokka' });
    projectId = project.id;
    ids.project = project.id;
    ids.task = (await create(t.app, user, `/api/projects/${project.id}/tasks`, { title: 'Photograph quokkas' })).id;
    ids.person = (await create(t.app, user, '/api/people', { name: 'Kim', notes: 'keeps a quokka' })).id;
    ids.location = (await create(t.app, user, '/api/locations', { name: 'Rottnest Island', address: 'Quokka Way 1' })).id;
    await create(t.app, user, '/api/todos', { title: 'Unrelated todo' });
  });

  it('finds it in todos, events, reminders, projects, tasks, people and locations, case-insensitively', async () => {
    const results = await search(user, q('quokka'));
    expect(new Map(results.map((result) => [result.type, result.id]))).toEqual(new Map(Object.entries(ids)));
    expect(results).toHaveLength(7);
    expect(await search(user, q('QuOkKa'))).toEqual(results);
  });

  it('matches the last word as a prefix', async () => {
    const results = await search(user, q('quok'));
    expect(results.map((result) => result.type).sort()).toEqual(['event', 'location', 'person', 'project', 'reminder', 'task', 'todo']);
    // Only the last word: "quok" alone is no word, so it finds nothing before another word.
    expect(await search(user, q('quok feed'))).toEqual([]);
    expect((await search(user, q('feed the quo'))).map((result) => result.id)).toEqual([ids.todo]);
  });

  it('needs every word', async () => {
    expect((await search(user, q('rottnest quokka'))).map((result) => result.type).sort()).toEqual(['location', 'project']);
    expect(await search(user, q('quokka penguin'))).toEqual([]);
  });

  it('gives each result its title, a snippet with the matches marked, a rank, and tasks their project', async () => {
    const results = await search(user, q('quokka'));
    const byType = new Map(results.map((result) => [result.type, result]));
    expect(byType.get('event')).toMatchObject({ title: 'Zoo visit', snippet: 'Zoo visit · See the <mark>Quokka</mark> enclosure' });
    expect(byType.get('person')).toMatchObject({ title: 'Kim', snippet: 'Kim · keeps a <mark>quokka</mark>' });
    expect(byType.get('location')).toMatchObject({ title: 'Rottnest Island', snippet: expect.stringContaining('<mark>Quokka</mark> Way 1') });
    expect(byType.get('task')).toMatchObject({ title: 'Photograph quokkas', project_id: projectId });
    for (const result of results) {
      expect(result.rank).toBeGreaterThan(0);
      if (result.type !== 'task') expect(result).not.toHaveProperty('project_id');
    }
  });

  it('keeps to the types asked for', async () => {
    const results = await search(user, `${q('quokka')}&types=person,task,person`);
    expect(results.map((result) => result.type).sort()).toEqual(['person', 'task']);
    expect((await search(user, `${q('quokka')}&types=event`)).map((result) => result.id)).toEqual([ids.event]);
  });
});

describe('ranking', () => {
  it('puts title matches before text matches, whole words before completions, best first', async () => {
    const user = await registerUser(t.app);
    const todo = async (title: string, description?: string) => (await create(t.app, user, '/api/todos', { title, description })).id;
    const inText = await todo('Errands', 'take the car to the garage');
    const completion = await todo('Carpet cleaning');
    const title = await todo('Car wash');
    const exact = await todo('Car');
    const results = await search(user, q('car'));
    expect(results.map((result) => result.id)).toEqual([exact, title, completion, inText]);
    const ranks = results.map((result) => result.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });
});

describe('limit', () => {
  it('returns 20 results by default, at most limit, and 1..100 only', async () => {
    const user = await registerUser(t.app);
    for (let i = 0; i < 25; i++) await create(t.app, user, '/api/todos', { title: `walrus ${i}` });
    expect(await search(user, q('walrus'))).toHaveLength(20);
    expect(await search(user, `${q('walrus')}&limit=5`)).toHaveLength(5);
    expect(await search(user, `${q('walrus')}&limit=100`)).toHaveLength(25);
    for (const limit of ['0', '101', 'x']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/search?${q('walrus')}&limit=${limit}`, headers: user.headers });
      expect(response.statusCode, limit).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: 'limit' })]);
    }
    // Ties in rank keep a stable order.
    expect(await search(user, `${q('walrus')}&limit=25`)).toEqual(await search(user, `${q('walrus')}&limit=25`));
  });
});

describe('the query text', () => {
  let user: SignedIn;
  beforeAll(async () => {
    user = await registerUser(t.app);
    await create(t.app, user, '/api/todos', { title: "O'Brien's back\\slash & <b>bold</b> plans", description: 'Tom & Jerry <script>alert(1)</script> meeting' });
  });

  const status = async (query: string) => (await t.app.inject({ method: 'GET', url: `/api/search?${query}`, headers: user.headers })).statusCode;

  it('takes 2..200 characters after trimming; other parameters are a 400', async () => {
    for (const bad of ['', 'a', '  a  ', 'x'.repeat(201)]) {
      const response = await t.app.inject({ method: 'GET', url: `/api/search?${q(bad)}`, headers: user.headers });
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: 'q' })]);
    }
    expect(await status('')).toBe(400);
    expect(await status(q('x'.repeat(200)))).toBe(200);
    expect(await status(q('ab'))).toBe(200);
    expect(await status(`${q('ab')}&sort=rank`)).toBe(400);
    expect(await status(`${q('ab')}&types=todo,spaceship`)).toBe(400);
    expect(await status(`${q('ab')}&types=`)).toBe(400);
    expect(await status(`${q('ab')}&types=todo,`)).toBe(400);
    expect(await status(`${q('ab')}%00`)).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/search?${q('ab')}` })).statusCode).toBe(401);
  });

  it('reads tsquery syntax as plain text, never as operators', async () => {
    const hostile = ["&|!():*'", "''", "x'", '\\\\', 'x\\', '!!', 'a & b', 'a | b', '!plans', 'plans:*', 'plans:A', '(plans', "plans')", '<->', 'a <-> b', "' | '", ':*', '&&', '%_%', '"plans"', 'plans:'];
    for (const text of hostile) expect(await status(q(text)), text).toBe(200);
    // Operators and punctuation are dropped; the words in between still match.
    expect(await search(user, q('!plans'))).toHaveLength(1);
    expect(await search(user, q('(plans) & !bold'))).toHaveLength(1);
    expect(await search(user, q("o'brien"))).toHaveLength(1);
    expect(await search(user, q('back\\slash'))).toHaveLength(1);
    expect(await search(user, q('&|!():*'))).toEqual([]);
  });

  it('gives snippets as escaped HTML in which only the <mark> elements are markup', async () => {
    const [result] = await search(user, q('meeting'));
    expect(result?.snippet).toContain('Tom &amp; Jerry');
    expect(result?.snippet).toContain('<mark>meeting</mark>');
    expect(result?.snippet).toBe(
      'O&#39;Brien&#39;s back\\slash &amp; &lt;b&gt;bold&lt;/b&gt; plans · Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; <mark>meeting</mark>',
    );
  });

  it('shortens a long text to the passages around the matches', async () => {
    const filler = (from: number) => Array.from({ length: 40 }, (_, i) => `word${from + i}`).join(' ');
    await create(t.app, user, '/api/reminders', { title: 'Long one', description: `${filler(0)} the armadillo appears here ${filler(100)}`, remind_at: '2026-12-01T09:00:00Z' });
    const [result] = await search(user, q('armadillo'));
    expect(result?.snippet).toMatch(/^[\w ]*the <mark>armadillo<\/mark> appears here[\w ]*$/);
    expect(result?.snippet.split(' ').length).toBeLessThanOrEqual(15);
  });
});

describe("other users' data", () => {
  it('never appears; invited events do for the invitee (unless declined), with only what invitees see', async () => {
    const owner = await registerUser(t.app);
    const invitee = await registerUser(t.app);
    const decliner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const place = await create(t.app, owner, '/api/locations', { name: 'Secret hideout pangolin' });
    await create(t.app, owner, '/api/todos', { title: 'Owner pangolin todo' });
    await create(t.app, owner, '/api/people', { name: 'Pangolin Pete' });
    const project = await create(t.app, owner, '/api/projects', { name: 'Pangolin project' });
    await create(t.app, owner, `/api/projects/${project.id}/tasks`, { title: 'Pangolin task' });
    await create(t.app, owner, '/api/reminders', { title: 'Pangolin reminder', remind_at: '2026-12-01T09:00:00Z' });
    const shared = await createEvent(t.app, owner, { title: 'Pangolin watch', description: 'Bring binoculars', location: 'North gate', location_id: place.id, ...hour });
    await createEvent(t.app, owner, { title: 'Private pangolin dinner', ...hour });
    await invite(t.app, owner, shared.id, invitee, 'tentative');
    await invite(t.app, owner, shared.id, decliner, 'declined');
    await create(t.app, stranger, '/api/todos', { title: 'Stranger pangolin todo' });

    expect((await search(owner, q('pangolin'))).map((result) => result.type).sort()).toEqual(['event', 'event', 'location', 'person', 'project', 'reminder', 'task', 'todo']);
    expect(await search(invitee, q('pangolin'))).toEqual([
      { type: 'event', id: shared.id, title: 'Pangolin watch', snippet: '<mark>Pangolin</mark> watch · Bring binoculars · North gate', rank: expect.any(Number) },
    ]);
    expect((await search(invitee, q('binoculars north'))).map((result) => result.id)).toEqual([shared.id]);
    // The owner's saved location (location_id) is theirs alone: its name finds nothing for the invitee.
    expect(await search(invitee, q('secret hideout'))).toEqual([]);
    expect(await search(decliner, q('pangolin'))).toEqual([]);
    expect((await search(stranger, q('pangolin'))).map((result) => result.title)).toEqual(['Stranger pangolin todo']);
  });
});
