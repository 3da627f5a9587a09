import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { homeOf, householdWithEveryRole } from './helpers/households.ts';
import { login, PASSWORD, registerUser, sessionCookie, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

const get = (user: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: user.headers });
const actionsOf = async (user: SignedIn, query = '') => (await get(user, `/api/audit${query}`)).json().items.map((entry: { action: string }) => entry.action);

describe('GET /api/audit: your own security events', () => {
  it('records login, failed login, logout and password change, newest first, for that account alone', async () => {
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    expect((await login(t.app, user.email, 'wrong password')).statusCode).toBe(401);
    const second = await login(t.app, user.email);
    expect(second.statusCode).toBe(200);
    const secondCookie = sessionCookie(second) ?? '';
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: secondCookie } })).statusCode).toBe(204);
    const changed = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/password',
      headers: user.headers,
      payload: { current_password: PASSWORD, new_password: 'another good password' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect(await actionsOf(user)).toEqual(['password_changed', 'logout', 'login', 'login_failed']);
    const entries = (await get(user, '/api/audit')).json();
    expect(entries).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(entries.items[3]).toMatchObject({ action: 'login_failed', actor: null, target: null, details: { ip: expect.any(String) } });
    expect(entries.items[2]).toMatchObject({ action: 'login', actor: { id: user.id, display_name: user.display_name } });
    expect(JSON.stringify(entries)).not.toMatch(/another good password|correct horse|\$2[aby]\$/);
    // Filters and paging; another account sees none of it.
    expect(await actionsOf(user, '?action=login')).toEqual(['login']);
    expect((await get(user, '/api/audit?limit=1&offset=1')).json()).toMatchObject({ total: 4, items: [{ action: 'logout' }] });
    expect(await actionsOf(other)).toEqual([]);
    expect((await get(user, '/api/audit?action=household.created')).statusCode).toBe(400);
  });

  it('a failed login for an email with no account writes nothing', async () => {
    const before = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await login(t.app, 'nobody-here@example.com', 'whatever password')).statusCode).toBe(401);
    const after = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('GET /api/households/{hid}/audit', () => {
  it('pages newest first and filters by action, actor and time', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const url = `/api/households/${household.id}`;
    for (const name of ['One', 'Two', 'Three']) {
      const renamed = await t.app.inject({ method: 'PATCH', url, headers: household.admin.headers, payload: { name } });
      expect(renamed.statusCode).toBe(200);
    }
    await t.app.inject({ method: 'PATCH', url: `${url}/members/${household.member.id}`, headers: household.owner.headers, payload: { role: 'viewer' } });
    const all = (await get(household.owner, `${url}/audit`)).json();
    expect(all.items.map((entry: { action: string }) => entry.action)).toEqual([
      'member.role_changed',
      'household.renamed',
      'household.renamed',
      'household.renamed',
      'household.created',
    ]);
    expect(all.total).toBe(5);
    const renames = (await get(household.owner, `${url}/audit?action=household.renamed&limit=2`)).json();
    expect(renames).toMatchObject({ total: 3, limit: 2, items: [{ details: { from: 'Two', to: 'Three' } }, { details: { from: 'One', to: 'Two' } }] });
    const byAdmin = (await get(household.owner, `${url}/audit?actor_id=${household.admin.id}`)).json();
    expect(byAdmin.total).toBe(3);
    const at = all.items[0].at;
    expect((await get(household.owner, `${url}/audit?from=${encodeURIComponent(at)}`)).json().items[0].action).toBe('member.role_changed');
    expect((await get(household.owner, `${url}/audit?to=${encodeURIComponent(all.items[4].at)}`)).json().total).toBe(0);
    for (const query of ['?action=nonsense', '?actor_id=nope', '?from=yesterday', '?limit=0', '?sort=at']) {
      expect((await get(household.owner, `${url}/audit${query}`)).statusCode, query).toBe(400);
    }
  });

  it('a refused request writes nothing', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const url = `/api/households/${household.id}`;
    const count = async () => (await get(household.owner, `${url}/audit`)).json().total;
    const before = await count();
    expect((await t.app.inject({ method: 'PATCH', url, headers: household.viewer.headers, payload: { name: 'No' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PATCH', url, headers: { ...household.owner.headers, 'if-match': '"9"' }, payload: { name: 'No' } })).statusCode).toBe(412);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/members/${household.owner.id}`, headers: household.owner.headers })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url, headers: household.admin.headers })).statusCode).toBe(403);
    expect(await count()).toBe(before);
    // Another household's log is not reachable under yours.
    const own = await homeOf(t.app, household.stranger);
    expect((await get(household.stranger, `/api/households/${own.id}/audit`)).json().items.every((entry: { target: { id: string } | null }) => entry.target?.id !== household.id)).toBe(true);
  });
});
