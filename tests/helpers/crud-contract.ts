import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { registerUser, type SignedIn } from './users.ts';

type Payload = Record<string, unknown>;

export type CrudContract = {
  /** e.g. '/api/todos' */
  path: string;
  /**
   * For records nested under a parent (a project's tasks): the user's own collection path,
   * prepared once per user (e.g. by creating a project). Defaults to `path` for everyone.
   */
  collection?: (user: SignedIn) => Promise<string>;
  /** The record's path parameter, named in a 400 for a malformed id; 'id' by default. */
  idParam?: string;
  /** A valid create body; `uniqueField` gets a distinct value per call. */
  create: (n: number) => Payload;
  /** A change of one field, and a nullable field that null clears. */
  change: Payload;
  nullable: { field: string; value: unknown };
  /** A body field with an invalid value and its path. */
  invalid: { payload: Payload; path: string };
  /** Sort fields the list accepts. */
  sorts: string[];
  /** The owner column that is never served; 'user_id' by default (a household's records: 'household_id'). */
  ownerColumn?: string;
};

type Context = { app: App };

/**
 * The behaviour every stored record shares (API.md "Conventions"): CRUD, partial PUT/PATCH,
 * null clears, versions and ETags, If-Match, unknown fields, list envelope and bounds, and
 * 404 for another user's record on every method.
 */
export function describeCrudContract(t: Context, contract: CrudContract) {
  describe(`${contract.path}: the shared CRUD contract`, () => {
    let owner: SignedIn;
    let stranger: SignedIn;
    let counter = 0;
    const paths = new Map<string, string>();
    const signUp = async () => {
      const user = await registerUser(t.app);
      paths.set(user.id, contract.collection ? await contract.collection(user) : contract.path);
      return user;
    };
    const pathOf = (user: SignedIn) => paths.get(user.id) ?? contract.path;

    beforeAll(async () => {
      owner = await signUp();
      stranger = await signUp();
    });

    const create = async (user: SignedIn = owner) => {
      const response = await t.app.inject({ method: 'POST', url: pathOf(user), headers: user.headers, payload: contract.create(++counter) });
      expect(response.statusCode, response.body).toBe(201);
      return response;
    };
    const get = (id: string, user: SignedIn = owner) => t.app.inject({ method: 'GET', url: `${pathOf(user)}/${id}`, headers: user.headers });

    it('creates with 201, version 1 and an ETag, and reads it back', async () => {
      const created = await create();
      const body = created.json();
      expect(body).toMatchObject({ id: expect.any(String), version: 1, created_at: expect.stringMatching(/Z$/), updated_at: expect.stringMatching(/Z$/) });
      expect(body).not.toHaveProperty(contract.ownerColumn ?? 'user_id');
      expect(created.headers.etag).toBe('"1"');
      const fetched = await get(body.id);
      expect(fetched.statusCode).toBe(200);
      expect(fetched.json()).toEqual(body);
      expect(fetched.headers.etag).toBe('"1"');
    });

    it.each(['PUT', 'PATCH'] as const)('%s is partial, bumps the version by one and returns the ETag', async (method) => {
      const before = (await create()).json();
      const response = await t.app.inject({ method, url: `${pathOf(owner)}/${before.id}`, headers: owner.headers, payload: contract.change });
      expect(response.statusCode, response.body).toBe(200);
      const after = response.json();
      expect(after).toMatchObject({ ...contract.change, version: 2 });
      for (const [key, value] of Object.entries(before)) {
        if (!(key in contract.change) && !['version', 'updated_at'].includes(key)) expect(after[key], key).toEqual(value);
      }
      expect(new Date(after.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(before.updated_at).getTime());
      expect(response.headers.etag).toBe('"2"');
    });

    it('clears a nullable field with null', async () => {
      const created = (await create()).json();
      const set = await t.app.inject({ method: 'PATCH', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers, payload: { [contract.nullable.field]: contract.nullable.value } });
      expect(set.json()[contract.nullable.field]).toEqual(contract.nullable.value);
      const cleared = await t.app.inject({ method: 'PATCH', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers, payload: { [contract.nullable.field]: null } });
      expect(cleared.statusCode).toBe(200);
      expect(cleared.json()[contract.nullable.field]).toBeNull();
    });

    it('treats an empty change as no change (version kept)', async () => {
      const created = (await create()).json();
      const response = await t.app.inject({ method: 'PATCH', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers, payload: {} });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(created);
    });

    it('applies a matching If-Match and refuses a stale one with 412, changing nothing', async () => {
      const created = (await create()).json();
      const url = `${pathOf(owner)}/${created.id}`;
      const fresh = await t.app.inject({ method: 'PATCH', url, headers: { ...owner.headers, 'if-match': '"1"' }, payload: contract.change });
      expect(fresh.statusCode).toBe(200);
      const stored = (await get(created.id)).json();
      for (const [method, payload] of [['PATCH', contract.change], ['PUT', contract.change], ['DELETE', undefined]] as const) {
        const stale = await t.app.inject({ method, url, headers: { ...owner.headers, 'if-match': '"1"' }, payload });
        expect(stale.statusCode, method).toBe(412);
        expect(stale.headers['content-type']).toMatch(/problem\+json/);
      }
      for (const header of ['W/"2"', 'garbage', '"2" junk']) {
        const malformed = await t.app.inject({ method: 'PATCH', url, headers: { ...owner.headers, 'if-match': header }, payload: contract.change });
        expect(malformed.statusCode, header).toBe(412);
      }
      expect((await get(created.id)).json()).toEqual(stored);
      const star = await t.app.inject({ method: 'PATCH', url, headers: { ...owner.headers, 'if-match': '*' }, payload: contract.change });
      expect(star.statusCode).toBe(200);
    });

    it('rejects unknown fields and invalid values with 400 naming the field, changing nothing', async () => {
      const created = (await create()).json();
      const unknown = await t.app.inject({ method: 'PATCH', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers, payload: { ...contract.change, surprise: 1 } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([{ path: 'surprise', message: 'Unknown field' }]);
      const invalid = await t.app.inject({ method: 'PATCH', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers, payload: contract.invalid.payload });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: contract.invalid.path })]));
      const badCreate = await t.app.inject({ method: 'POST', url: pathOf(owner), headers: owner.headers, payload: { ...contract.create(++counter), ...contract.invalid.payload } });
      expect(badCreate.statusCode).toBe(400);
      expect((await get(created.id)).json()).toEqual(created);
      expect((await t.app.inject({ method: 'POST', url: pathOf(owner), headers: owner.headers, payload: {} })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'POST', url: pathOf(owner), headers: owner.headers })).statusCode).toBe(400);
    });

    it('deletes with 204; afterwards the record is a 404', async () => {
      const created = (await create()).json();
      const deleted = await t.app.inject({ method: 'DELETE', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers });
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      expect((await get(created.id)).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `${pathOf(owner)}/${created.id}`, headers: owner.headers })).statusCode).toBe(404);
    });

    it("answers 404 for another user's record on GET, PUT, PATCH and DELETE, and leaves it alone", async () => {
      const theirs = (await create(stranger)).json();
      const url = `${pathOf(stranger)}/${theirs.id}`;
      for (const [method, payload] of [['GET', undefined], ['PUT', contract.change], ['PATCH', contract.change], ['DELETE', undefined]] as const) {
        const response = await t.app.inject({ method, url, headers: owner.headers, payload });
        expect(response.statusCode, method).toBe(404);
        expect(response.json().status).toBe(404);
      }
      expect((await get(theirs.id, stranger)).json()).toEqual(theirs);
      const list = (await t.app.inject({ method: 'GET', url: `${pathOf(owner)}?limit=200`, headers: owner.headers })).json();
      expect(list.items.map((item: { id: string }) => item.id)).not.toContain(theirs.id);
    });

    it('lists in the envelope with limit/offset and a total, in a stable order for every sort', async () => {
      const lister = await signUp();
      for (let i = 0; i < 5; i++) await create(lister);
      const all = await t.app.inject({ method: 'GET', url: pathOf(lister), headers: lister.headers });
      expect(all.statusCode).toBe(200);
      expect(all.json()).toMatchObject({ total: 5, limit: 50, offset: 0 });
      expect(all.json().items).toHaveLength(5);
      for (const sort of contract.sorts.flatMap((field) => [field, `-${field}`])) {
        const pages = [];
        for (let offset = 0; offset < 5; offset += 2) {
          const page = await t.app.inject({ method: 'GET', url: `${pathOf(lister)}?sort=${sort}&limit=2&offset=${offset}`, headers: lister.headers });
          expect(page.statusCode, sort).toBe(200);
          expect(page.json()).toMatchObject({ total: 5, limit: 2, offset });
          pages.push(...page.json().items.map((item: { id: string }) => item.id));
        }
        expect(new Set(pages).size, sort).toBe(5);
        const again = await t.app.inject({ method: 'GET', url: `${pathOf(lister)}?sort=${sort}`, headers: lister.headers });
        expect(again.json().items.map((item: { id: string }) => item.id), sort).toEqual(pages);
      }
      const beyond = await t.app.inject({ method: 'GET', url: `${pathOf(lister)}?offset=10`, headers: lister.headers });
      expect(beyond.json()).toMatchObject({ items: [], total: 5, offset: 10 });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['sort=nope', 'sort'],
      ['sort=-', 'sort'],
      ['colour=red', 'colour'],
    ])('refuses ?%s with 400 naming %s', async (query, path) => {
      const response = await t.app.inject({ method: 'GET', url: `${pathOf(owner)}?${query}`, headers: owner.headers });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    });

    it('accepts the limit bounds 1 and 200', async () => {
      for (const limit of [1, 200]) {
        const response = await t.app.inject({ method: 'GET', url: `${pathOf(owner)}?limit=${limit}`, headers: owner.headers });
        expect(response.statusCode).toBe(200);
        expect(response.json().limit).toBe(limit);
      }
    });

    it('answers a malformed id with 400', async () => {
      const response = await get('not-a-uuid');
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: contract.idParam ?? 'id' })]);
    });
  });
}
