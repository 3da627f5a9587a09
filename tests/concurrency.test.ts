import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

async function createTodo(user: SignedIn, title: string) {
  const response = await t.app.inject({ method: 'POST', url: '/api/todos', headers: user.headers, payload: { title } });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe('optimistic concurrency under load', () => {
  it('200 concurrent PATCHes with the same If-Match: exactly one wins, 199 get 412', async () => {
    const user = await registerUser(t.app);
    const todo = await createTodo(user, 'contested');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.app.inject({ method: 'PATCH', url: `/api/todos/${todo.id}`, headers: { ...user.headers, 'if-match': '"1"' }, payload: { description: `writer ${i}` } }),
      ),
    );
    const winners = responses.filter((response) => response.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.statusCode === 412)).toHaveLength(199);
    const stored = (await t.app.inject({ method: 'GET', url: `/api/todos/${todo.id}`, headers: user.headers })).json();
    expect(stored.version).toBe(2);
    expect(stored.description).toBe(winners[0]?.json().description);
  });

  it('loses no update: concurrent read-modify-write with If-Match and retries counts every writer once', async () => {
    const user = await registerUser(t.app);
    const todo = await createTodo(user, '0');
    const url = `/api/todos/${todo.id}`;
    const writers = 20;
    const increment = async (): Promise<string> => {
      for (;;) {
        const current = await t.app.inject({ method: 'GET', url, headers: user.headers });
        const next = String(Number(current.json().title) + 1);
        const written = await t.app.inject({ method: 'PATCH', url, headers: { ...user.headers, 'if-match': String(current.headers.etag) }, payload: { title: next } });
        if (written.statusCode === 200) return String(written.headers.etag);
        expect(written.statusCode).toBe(412);
      }
    };
    const etags = await Promise.all(Array.from({ length: writers }, increment));
    const stored = (await t.app.inject({ method: 'GET', url, headers: user.headers })).json();
    expect(stored.title).toBe(String(writers));
    expect(stored.version).toBe(writers + 1);
    // Exactly one success per version.
    expect([...etags].sort((a, b) => Number(a.slice(1, -1)) - Number(b.slice(1, -1)))).toEqual(
      Array.from({ length: writers }, (_, i) => `"${i + 2}"`),
    );
  });
});

describe('concurrent default-calendar changes', () => {
  it('30 parallel PATCHes of default_calendar_id all succeed, and exactly one default remains', async () => {
    const user = await registerUser(t.app);
    const created = await Promise.all(
      ['Work', 'Family'].map(async (name) => (await t.app.inject({ method: 'POST', url: '/api/calendars', headers: user.headers, payload: { name } })).json().id),
    );
    const own = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json().default_calendar_id;
    const calendars = [own, ...created];
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { default_calendar_id: calendars[i % calendars.length] } }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 30 }, () => 200));
    const defaults = await t.db.selectFrom('calendars').select('id').where('user_id', '=', user.id).where('is_default', '=', true).execute();
    expect(defaults).toHaveLength(1);
    const settings = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json();
    expect(settings.default_calendar_id).toBe(defaults[0]?.id);
  });
});
