import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { householdWithEveryRole } from './helpers/households.ts';
import { login, PASSWORD, registerUser, type SignedIn } from './helpers/users.ts';
import { createZkClient, newHouseholdKey, openEnvelope, wrapForMember } from './helpers/zk-client.ts';

const t = useTestApp();

const call = (user: SignedIn, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

async function setKeys(user: SignedIn) {
  const client = await createZkClient(PASSWORD);
  const response = await call(user, 'PUT', '/api/keys', client.body);
  expect(response.statusCode, response.body).toBe(200);
  return client;
}

describe('/api/keys', () => {
  it('is a 404 before the first PUT, then returns exactly what the client stored, unlockable with the password', async () => {
    const user = await registerUser(t.app);
    expect((await call(user, 'GET', '/api/keys')).statusCode).toBe(404);
    const client = await setKeys(user);
    const stored = await call(user, 'GET', '/api/keys');
    expect(stored.json()).toEqual({ ...client.body, version: 1, updated_at: expect.any(String) });
    // A new device: only the password and what the server keeps.
    const privateKey = await client.unlock(stored.json(), PASSWORD);
    const householdKey = newHouseholdKey();
    expect(await openEnvelope(privateKey, await wrapForMember(householdKey, client.body.public_key))).toEqual(householdKey);
    expect((await call(user, 'GET', '/api/audit?action=keys_changed')).json().total).toBe(1);
  });

  it('refuses weak KDF settings and malformed keys, storing nothing', async () => {
    const user = await registerUser(t.app);
    const { body } = await createZkClient(PASSWORD);
    const cases: Array<[unknown, string]> = [
      [{ ...body, kdf: { ...body.kdf, iterations: 999 } }, 'kdf.iterations'],
      [{ ...body, kdf: { ...body.kdf, name: 'argon2id' } }, 'kdf.name'],
      [{ ...body, public_key: Buffer.from('not a key at all, really not').toString('base64') }, 'public_key'],
      [{ ...body, encrypted_user_key: 'short' }, 'encrypted_user_key'],
      [{ ...body, encrypted_private_key: '!!!! not base64 !!!!' }, 'encrypted_private_key'],
      [{ ...body, extra: 1 }, ''],
    ];
    for (const [payload, path] of cases) {
      const response = await call(user, 'PUT', '/api/keys', payload);
      expect(response.statusCode, path).toBe(400);
      if (path) expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    expect((await call(user, 'GET', '/api/keys')).statusCode).toBe(404);
  });
});

describe('GET /api/users/{user_id}/public-key', () => {
  it('answers for members of a household you share, and 404 for anyone else', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const client = await setKeys(household.viewer);
    const url = `/api/users/${household.viewer.id}/public-key`;
    expect((await call(household.member, 'GET', url)).json()).toEqual({ user_id: household.viewer.id, public_key: client.body.public_key });
    expect((await call(household.stranger, 'GET', url)).statusCode).toBe(404);
    // A member without keys is a 404 too.
    expect((await call(household.viewer, 'GET', `/api/users/${household.admin.id}/public-key`)).statusCode).toBe(404);
  });
});

describe('household key envelopes', () => {
  it('runs invited -> accepted -> confirmed: the first key by a member for themselves, then the admin confirms another', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const memberClient = await setKeys(household.member);
    const viewerClient = await setKeys(household.viewer);
    await setKeys(household.admin);
    const keysUrl = (user: SignedIn) => `/api/households/${household.id}/keys/${user.id}`;
    const householdKey = newHouseholdKey();
    const envelope = async (publicKey: string, key_version: number) => ({ encrypted_household_key: await wrapForMember(householdKey, publicKey), key_version });

    // A viewer may not create the household key, not even for themselves; nobody may confirm others yet but owner/admin.
    expect((await call(household.viewer, 'PUT', keysUrl(household.viewer), await envelope(viewerClient.body.public_key, 1))).statusCode).toBe(403);
    expect((await call(household.member, 'PUT', keysUrl(household.viewer), await envelope(viewerClient.body.public_key, 1))).statusCode).toBe(403);
    // The first key starts version 1.
    expect((await call(household.member, 'PUT', keysUrl(household.member), await envelope(memberClient.body.public_key, 2))).statusCode).toBe(409);
    const first = await call(household.member, 'PUT', keysUrl(household.member), await envelope(memberClient.body.public_key, 1));
    expect(first.statusCode, first.body).toBe(200);
    // Now only owner/admin confirm, at the current version.
    expect((await call(household.member, 'PUT', keysUrl(household.member), await envelope(memberClient.body.public_key, 1))).statusCode).toBe(403);
    expect((await call(household.admin, 'PUT', keysUrl(household.viewer), await envelope(viewerClient.body.public_key, 2))).statusCode).toBe(409);
    expect((await call(household.admin, 'PUT', keysUrl(household.owner), await envelope(viewerClient.body.public_key, 1))).statusCode).toBe(409);
    expect((await call(household.admin, 'PUT', keysUrl(household.stranger), await envelope(viewerClient.body.public_key, 1))).statusCode).toBe(404);
    expect((await call(household.stranger, 'PUT', keysUrl(household.viewer), await envelope(viewerClient.body.public_key, 1))).statusCode).toBe(404);
    const confirmed = await call(household.admin, 'PUT', keysUrl(household.viewer), await envelope(viewerClient.body.public_key, 1));
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    // The viewer opens their envelope on a new device and holds the same household key.
    const mine = await call(household.viewer, 'GET', `/api/households/${household.id}/keys/me`);
    expect(mine.json()).toMatchObject({ user_id: household.viewer.id, key_version: 1 });
    const privateKey = await viewerClient.unlock((await call(household.viewer, 'GET', '/api/keys')).json(), PASSWORD);
    expect(await openEnvelope(privateKey, mine.json().encrypted_household_key)).toEqual(householdKey);
    expect((await call(household.owner, 'GET', `/api/households/${household.id}/keys/me`)).statusCode).toBe(404);
    expect((await call(household.stranger, 'GET', `/api/households/${household.id}/keys/me`)).statusCode).toBe(404);

    const members = (await call(household.owner, 'GET', `/api/households/${household.id}/members`)).json().items;
    const state = Object.fromEntries(members.map((item: { user_id: string; has_key: boolean; public_key: string | null }) => [item.user_id, [item.has_key, item.public_key !== null]]));
    expect(state).toEqual({
      [household.owner.id]: [false, false],
      [household.admin.id]: [false, true],
      [household.member.id]: [true, true],
      [household.viewer.id]: [true, true],
    });
    const shared = (await call(household.owner, 'GET', `/api/households/${household.id}/audit?action=key.shared`)).json().items;
    expect(shared.map((entry: { target: { id: string } }) => entry.target.id)).toEqual([household.viewer.id, household.member.id]);
    expect(JSON.stringify(shared)).not.toContain(mine.json().encrypted_household_key);
  });

  it('a member who leaves or is removed loses their envelope; a new key pair drops the old envelopes', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const memberClient = await setKeys(household.member);
    const viewerClient = await setKeys(household.viewer);
    const householdKey = newHouseholdKey();
    const put = async (actor: SignedIn, target: SignedIn, publicKey: string) =>
      call(actor, 'PUT', `/api/households/${household.id}/keys/${target.id}`, { encrypted_household_key: await wrapForMember(householdKey, publicKey), key_version: 1 });
    expect((await put(household.member, household.member, memberClient.body.public_key)).statusCode).toBe(200);
    expect((await put(household.owner, household.viewer, viewerClient.body.public_key)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/households/${household.id}/members/${household.viewer.id}`, headers: household.viewer.headers })).statusCode).toBe(204);
    const left = await t.db.selectFrom('household_key_envelopes').select('user_id').where('household_id', '=', household.id).execute();
    expect(left).toEqual([{ user_id: household.member.id }]);
    // Setting a new key pair: the envelope wrapped for the old public key goes.
    await setKeys(household.member);
    expect((await call(household.member, 'GET', `/api/households/${household.id}/keys/me`)).statusCode).toBe(404);
  });
});

describe('PUT /api/settings/password with keys', () => {
  it('re-wraps the user key in the same transaction, and requires it once keys are set', async () => {
    const user = await registerUser(t.app);
    const noKeys = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/password',
      headers: user.headers,
      payload: { current_password: PASSWORD, new_password: 'second password here', encrypted_user_key: 'AAAAAAAAAAAAAAAAAAAAAA==' },
    });
    expect(noKeys.statusCode).toBe(400);
    expect(noKeys.json().errors).toEqual([expect.objectContaining({ path: 'encrypted_user_key' })]);
    expect((await login(t.app, user.email, PASSWORD)).statusCode).toBe(200);

    const client = await setKeys(user);
    const without = await t.app.inject({ method: 'PUT', url: '/api/settings/password', headers: user.headers, payload: { current_password: PASSWORD, new_password: 'second password here' } });
    expect(without.statusCode).toBe(400);
    expect(without.json().errors).toEqual([expect.objectContaining({ path: 'encrypted_user_key' })]);
    // Refused: the old password still signs in, and the stored key is unchanged.
    expect((await login(t.app, user.email, PASSWORD)).statusCode).toBe(200);

    const changed = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/password',
      headers: user.headers,
      payload: { current_password: PASSWORD, new_password: 'second password here', encrypted_user_key: await client.rewrapUserKey('second password here') },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const stored = (await call(user, 'GET', '/api/keys')).json();
    // The new password unlocks the same private key; the old one no longer does.
    const privateKey = await client.unlock(stored, 'second password here');
    const householdKey = newHouseholdKey();
    expect(await openEnvelope(privateKey, await wrapForMember(householdKey, stored.public_key))).toEqual(householdKey);
    await expect(client.unlock(stored, PASSWORD)).rejects.toThrow();
    expect(stored.public_key).toBe(client.body.public_key);
  });
});
