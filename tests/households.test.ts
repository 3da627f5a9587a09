import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { type Household, homeOf, householdWithEveryRole, joinAs, ROLES, type Who } from './helpers/households.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (user: SignedIn, method: Method, url: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...user.headers, ...headers }, ...(payload ? { payload } : {}) });

const settingsOf = async (user: SignedIn) => (await call(user, 'GET', '/api/settings')).json();
const auditActions = async (owner: SignedIn, hid: string) =>
  (await call(owner, 'GET', `/api/households/${hid}/audit?limit=200`)).json().items.map((entry: { action: string }) => entry.action);

describe('registration', () => {
  it('creates the household "Home", owned by the new user and active in their settings', async () => {
    const user = await registerUser(t.app);
    const list = await call(user, 'GET', '/api/households');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, limit: 50, offset: 0, items: [{ name: 'Home', my_role: 'owner', member_count: 1, version: 1 }] });
    const home = list.json().items[0];
    expect((await settingsOf(user)).active_household_id).toBe(home.id);
    const members = await call(user, 'GET', `/api/households/${home.id}/members`);
    expect(members.json()).toEqual({
      items: [{ user_id: user.id, email: user.email, display_name: user.display_name, role: 'owner', joined_at: expect.any(String), has_key: false, public_key: null }],
    });
    expect(await auditActions(user, home.id)).toEqual(['household.created']);
  });
});

describe('households', () => {
  it('creates one with 201 and an ETag; you own it; lists yours by name', async () => {
    const user = await registerUser(t.app);
    const created = await call(user, 'POST', '/api/households', { name: 'beach house' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toMatchObject({ name: 'beach house', my_role: 'owner', member_count: 1, version: 1 });
    await call(user, 'POST', '/api/households', { name: 'Attic' });
    const names = (await call(user, 'GET', '/api/households')).json().items.map((household: { name: string }) => household.name);
    expect(names).toEqual(['Attic', 'beach house', 'Home']);
    // Creating another household does not change the active one.
    expect((await settingsOf(user)).active_household_id).toBe((await homeOf(t.app, user)).id);
    const one = await call(user, 'GET', `/api/households/${created.json().id}`);
    expect(one.json()).toEqual(created.json());
    expect(one.headers.etag).toBe('"1"');
  });

  it('refuses bad names and unknown fields, creating nothing', async () => {
    const user = await registerUser(t.app);
    for (const payload of [{ name: '' }, { name: 'x'.repeat(201) }, {}, { name: 'ok', owner: user.id }]) {
      const response = await call(user, 'POST', '/api/households', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await call(user, 'GET', '/api/households')).json().total).toBe(1);
  });

  it('renames with If-Match, bumping the version by one and recording from and to', async () => {
    const user = await registerUser(t.app);
    const home = await homeOf(t.app, user);
    const url = `/api/households/${home.id}`;
    expect((await call(user, 'PATCH', url, { name: 'Nest' }, { 'if-match': '"7"' })).statusCode).toBe(412);
    const renamed = await call(user, 'PUT', url, { name: 'Nest' }, { 'if-match': '"1"' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Nest', version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    // The same name again, or an empty body, changes nothing.
    expect((await call(user, 'PATCH', url, { name: 'Nest' })).json().version).toBe(2);
    expect((await call(user, 'PATCH', url, {})).json().version).toBe(2);
    const entries = (await call(user, 'GET', `${url}/audit`)).json().items;
    expect(entries[0]).toMatchObject({ action: 'household.renamed', actor: { id: user.id }, target: { type: 'household', id: home.id }, details: { from: 'Home', to: 'Nest' } });
    expect(entries).toHaveLength(2);
  });
});

describe('the access helper through HTTP: every row of the contract table', () => {
  const expectStatus = async (household: Household, who: Who, method: Method, url: string, expected: number, payload?: Record<string, unknown>) => {
    const response = await call(household[who], method, url, payload);
    expect(response.statusCode, `${who} ${method} ${url}: ${response.body}`).toBe(expected);
    return response;
  };

  it('read the household and its members: every role 200, a stranger 404', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    for (const who of ROLES) {
      const status = who === 'stranger' ? 404 : 200;
      const one = await expectStatus(household, who, 'GET', `/api/households/${household.id}`, status);
      await expectStatus(household, who, 'GET', `/api/households/${household.id}/members`, status);
      if (status === 200) expect(one.json()).toMatchObject({ my_role: who, member_count: 4 });
      else expect(one.json()).toMatchObject({ status: 404, detail: 'Household not found' });
    }
    const listed = await call(household.viewer, 'GET', '/api/households');
    expect(listed.json().items.map((item: { id: string }) => item.id)).toContain(household.id);
    expect((await call(household.stranger, 'GET', '/api/households')).json().items.map((item: { id: string }) => item.id)).not.toContain(household.id);
  });

  it('rename (manage): owner and admin 200, member and viewer 403 naming the action, a stranger 404; refusals change nothing', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const url = `/api/households/${household.id}`;
    for (const who of ['member', 'viewer'] as const) {
      const refused = await expectStatus(household, who, 'PATCH', url, 403, { name: `by ${who}` });
      expect(refused.json().detail).toBe(`A household ${who} may not rename the household, invite, revoke invitations, change roles or remove members`);
    }
    await expectStatus(household, 'stranger', 'PATCH', url, 404, { name: 'by stranger' });
    expect((await call(household.owner, 'GET', url)).json()).toMatchObject({ name: 'Home', version: 1 });
    expect(await auditActions(household.owner, household.id)).toEqual(['household.created']);
    await expectStatus(household, 'admin', 'PATCH', url, 200, { name: 'by admin' });
    await expectStatus(household, 'owner', 'PATCH', url, 200, { name: 'by owner' });
  });

  it('read the audit log: owner and admin 200, member and viewer 403, a stranger 404', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const url = `/api/households/${household.id}/audit`;
    const expected: Record<Who, number> = { owner: 200, admin: 200, member: 403, viewer: 403, stranger: 404 };
    for (const who of ROLES) {
      const response = await expectStatus(household, who, 'GET', url, expected[who]);
      if (expected[who] === 403) expect(response.json().detail).toBe(`A household ${who} may not read the audit log`);
    }
  });

  it('delete the household (own): admin, member and viewer 403, a stranger 404, the owner 204', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const url = `/api/households/${household.id}`;
    for (const who of ['admin', 'member', 'viewer'] as const) {
      const refused = await expectStatus(household, who, 'DELETE', url, 403);
      expect(refused.json().detail).toBe(`A household ${who} may not delete the household or transfer ownership`);
    }
    await expectStatus(household, 'stranger', 'DELETE', url, 404);
    expect((await call(household.owner, 'DELETE', url, undefined)).statusCode).toBe(204);
    for (const who of ROLES) await expectStatus(household, who, 'GET', url, 404);
  });
});

describe('roles', () => {
  it('an admin changes members and viewers (to admin too), never the owner or another admin', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const members = `/api/households/${household.id}/members`;
    const demoteOwner = await call(household.admin, 'PATCH', `${members}/${household.owner.id}`, { role: 'member' });
    expect(demoteOwner.statusCode).toBe(403);
    expect(demoteOwner.json().detail).toBe("A household admin may not change the owner's role");
    const otherAdmin = await registerUser(t.app);
    await joinAs(t.db, household.id, otherAdmin, 'admin');
    expect((await call(household.admin, 'PATCH', `${members}/${otherAdmin.id}`, { role: 'viewer' })).statusCode).toBe(403);
    expect((await call(household.admin, 'PATCH', `${members}/${household.owner.id}`, { role: 'owner' })).statusCode).toBe(403);
    const changed = await call(household.admin, 'PATCH', `${members}/${household.member.id}`, { role: 'viewer' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ user_id: household.member.id, role: 'viewer' });
    expect((await call(household.admin, 'PATCH', `${members}/${household.viewer.id}`, { role: 'admin' })).json().role).toBe('admin');
    // Members and viewers change nobody's role; an unknown member is a 404.
    expect((await call(household.member, 'PATCH', `${members}/${household.admin.id}`, { role: 'viewer' })).statusCode).toBe(403);
    expect((await call(household.owner, 'PATCH', `${members}/${household.stranger.id}`, { role: 'viewer' })).statusCode).toBe(404);
    expect((await call(household.owner, 'PATCH', `${members}/${household.member.id}`, { role: 'boss' })).statusCode).toBe(400);
    const entry = (await call(household.owner, 'GET', `/api/households/${household.id}/audit?action=member.role_changed`)).json().items.at(-1);
    expect(entry).toMatchObject({ actor: { id: household.admin.id }, target: { type: 'member', id: household.member.id }, details: { from: 'member', to: 'viewer' } });
  });

  it('the owner transfers ownership by making another member owner, and becomes admin', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const members = `/api/households/${household.id}/members`;
    const kept = await call(household.owner, 'PATCH', `${members}/${household.owner.id}`, { role: 'admin' });
    expect(kept.statusCode).toBe(409);
    const transfer = await call(household.owner, 'PATCH', `${members}/${household.member.id}`, { role: 'owner' });
    expect(transfer.statusCode, transfer.body).toBe(200);
    expect(transfer.json().role).toBe('owner');
    const roles = (await call(household.member, 'GET', members)).json().items.map((item: { user_id: string; role: string }) => [item.user_id, item.role]);
    expect(roles).toEqual(expect.arrayContaining([[household.member.id, 'owner'], [household.owner.id, 'admin']]));
    expect(roles.filter(([, role]: [string, string]) => role === 'owner')).toHaveLength(1);
    // Only the new owner may now delete; the old one is an admin.
    expect((await call(household.owner, 'DELETE', `/api/households/${household.id}`)).statusCode).toBe(403);
    expect((await call(household.owner, 'GET', `/api/households/${household.id}`)).json().my_role).toBe('admin');
    const changes = (await call(household.member, 'GET', `/api/households/${household.id}/audit?action=member.role_changed`)).json().items;
    expect(changes.map((entry: { target: { id: string }; details: unknown }) => [entry.target.id, entry.details])).toEqual([
      [household.member.id, { from: 'member', to: 'owner' }],
      [household.owner.id, { from: 'owner', to: 'admin' }],
    ]);
  });

  it('the database holds exactly one owner per household, whatever the code does', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const second = t.db.updateTable('household_members').set({ role: 'owner' }).where('household_id', '=', household.id).where('user_id', '=', household.admin.id);
    await expect(second.execute()).rejects.toThrow(/household_members_one_owner/);
    const none = t.db.transaction().execute(async (trx) => {
      await trx.updateTable('household_members').set({ role: 'admin' }).where('household_id', '=', household.id).where('user_id', '=', household.owner.id).execute();
    });
    await expect(none).rejects.toThrow(/must have exactly one owner/);
    const ownerless = t.db.transaction().execute(async (trx) => {
      await sql`insert into households (name, server_key) values ('No owner', 'x')`.execute(trx);
    });
    await expect(ownerless).rejects.toThrow(/must have exactly one owner/);
    const owners = await t.db.selectFrom('household_members').select('user_id').where('household_id', '=', household.id).where('role', '=', 'owner').execute();
    expect(owners).toEqual([{ user_id: household.owner.id }]);
  });
});

describe('removal and leaving', () => {
  it('the owner cannot leave (409); a member leaves, and sees the household as a stranger at once', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const members = `/api/households/${household.id}/members`;
    const ownerLeaves = await call(household.owner, 'DELETE', `${members}/${household.owner.id}`);
    expect(ownerLeaves.statusCode).toBe(409);
    expect(ownerLeaves.json().detail).toMatch(/transfer ownership/);
    expect((await call(household.viewer, 'DELETE', `${members}/${household.viewer.id}`)).statusCode).toBe(204);
    expect((await call(household.viewer, 'GET', `/api/households/${household.id}`)).statusCode).toBe(404);
    expect((await call(household.viewer, 'GET', members)).statusCode).toBe(404);
    expect((await call(household.owner, 'GET', `/api/households/${household.id}/audit?action=member.left`)).json().items[0]).toMatchObject({
      actor: { id: household.viewer.id },
      target: { type: 'member', id: household.viewer.id },
    });
  });

  it('an admin removes members and viewers but not the owner or admins; a removed member gets 404 at once', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const members = `/api/households/${household.id}/members`;
    expect((await call(household.admin, 'DELETE', `${members}/${household.owner.id}`)).statusCode).toBe(403);
    expect((await call(household.member, 'DELETE', `${members}/${household.viewer.id}`)).statusCode).toBe(403);
    expect((await call(household.stranger, 'DELETE', `${members}/${household.viewer.id}`)).statusCode).toBe(404);
    expect((await call(household.admin, 'DELETE', `${members}/${household.member.id}`)).statusCode).toBe(204);
    expect((await call(household.member, 'GET', `/api/households/${household.id}`)).statusCode).toBe(404);
    expect((await call(household.owner, 'DELETE', `${members}/${household.admin.id}`)).statusCode).toBe(204);
    expect((await call(household.admin, 'GET', members)).statusCode).toBe(404);
    expect((await call(household.owner, 'DELETE', `${members}/${household.admin.id}`)).statusCode).toBe(404);
    const left = (await call(household.owner, 'GET', members)).json().items.map((item: { role: string }) => item.role);
    expect(left).toEqual(['owner', 'viewer']);
  });
});

describe('the active household', () => {
  it('is one of yours: another household is a 400 naming active_household_id', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const refused = await call(household.stranger, 'PATCH', '/api/settings', { active_household_id: household.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'active_household_id' })]);
    expect((await call(household.stranger, 'PATCH', '/api/settings', { active_household_id: null })).statusCode).toBe(400);
    const chosen = await call(household.viewer, 'PATCH', '/api/settings', { active_household_id: household.id });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().active_household_id).toBe(household.id);
  });

  it('moves to another of yours when you leave or the household is deleted, and is null when none is left', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const ownHome = (await homeOf(t.app, household.member)).id;
    await call(household.member, 'PATCH', '/api/settings', { active_household_id: household.id });
    await call(household.viewer, 'PATCH', '/api/settings', { active_household_id: household.id });
    expect((await call(household.member, 'DELETE', `/api/households/${household.id}/members/${household.member.id}`)).statusCode).toBe(204);
    expect((await settingsOf(household.member)).active_household_id).toBe(ownHome);
    expect((await call(household.owner, 'DELETE', `/api/households/${household.id}`)).statusCode).toBe(204);
    expect((await settingsOf(household.viewer)).active_household_id).toBe((await homeOf(t.app, household.viewer)).id);
    // The owner had only that one: deleting it leaves them none, until they create another.
    expect((await settingsOf(household.owner)).active_household_id).toBeNull();
    const next = await call(household.owner, 'POST', '/api/households', { name: 'Flat' });
    expect((await settingsOf(household.owner)).active_household_id).toBe(next.json().id);
  });
});
