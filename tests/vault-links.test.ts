import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { homeOf } from './helpers/households.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';

const t = useTestApp();
const v = vaultCalls(t);

let user: SignedIn;
let hid: string;
let items: string;

beforeAll(async () => {
  user = await registerUser(t.app);
  hid = (await homeOf(t.app, user)).id;
  items = `/api/households/${hid}/items`;
});

const doc = async (name: string) => (await v.item(user, hid, { category: 'other', subcategory: 'document', name })).id;
const link = (parent: string, child: string) => v.call(user, 'POST', `${items}/${parent}/links`, { child_id: child });
const linkCount = async () => (await t.db.selectFrom('item_links').select('parent_id').where('household_id', '=', hid).execute()).length;

describe('links between items', () => {
  it('link parent to child; GET shows parents and children in list form (no sensitive values)', async () => {
    const trip = await doc('Trip to Japan');
    const passport = await v.passport(user, hid, { number: 'HIDDEN-1' }, 'Passport');
    const visa = await doc('Visa');
    const created = await link(trip, passport.id);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ parent_id: trip, child_id: passport.id });
    expect((await link(trip, visa)).statusCode).toBe(201);
    // One passport in many trips.
    const other = await doc('Another trip');
    expect((await link(other, passport.id)).statusCode).toBe(201);
    const ofTrip = (await v.call(user, 'GET', `${items}/${trip}/links`)).json();
    expect(ofTrip.parents).toEqual([]);
    expect(ofTrip.children.map((item: { name: string }) => item.name)).toEqual(['Passport', 'Visa']);
    const ofPassport = await v.call(user, 'GET', `${items}/${passport.id}/links`);
    expect(ofPassport.json().parents.map((item: { name: string }) => item.name)).toEqual(['Another trip', 'Trip to Japan']);
    expect(ofPassport.body).not.toContain('HIDDEN-1');
    expect(ofPassport.json().parents[0]).toMatchObject({ category: 'other', fields: {}, version: 1 });
    const entries = (await v.call(user, 'GET', `/api/households/${hid}/audit?action=link.created`)).json().items;
    expect(entries[0]).toMatchObject({ target: { type: 'item', id: other }, details: { parent_id: other, child_id: passport.id } });
    expect((await v.call(user, 'DELETE', `${items}/${trip}/links/${visa}`)).statusCode).toBe(204);
    expect((await v.call(user, 'DELETE', `${items}/${trip}/links/${visa}`)).statusCode).toBe(404);
    expect((await v.call(user, 'GET', `${items}/${trip}/links`)).json().children).toHaveLength(1);
  });

  it('refuses a self-link (400), a duplicate (409), a cycle (400) and an item of another household (400), storing nothing', async () => {
    const [a, b, c] = [await doc('A'), await doc('B'), await doc('C')];
    expect((await link(a, b)).statusCode).toBe(201);
    expect((await link(b, c)).statusCode).toBe(201);
    const before = await linkCount();
    const self = await link(a, a);
    expect(self.statusCode).toBe(400);
    expect(self.json().errors).toEqual([{ path: 'child_id', message: 'An item cannot link to itself' }]);
    expect((await link(a, b)).statusCode).toBe(409);
    const cycle = await link(c, a);
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().errors).toEqual([expect.objectContaining({ path: 'child_id', message: expect.stringMatching(/cycle/) })]);
    expect((await link(b, a)).statusCode).toBe(400);
    const stranger = await registerUser(t.app);
    const theirs = (await v.item(stranger, (await homeOf(t.app, stranger)).id, { category: 'other', subcategory: 'document', name: 'theirs' })).id;
    const foreign = await link(a, theirs);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([{ path: 'child_id', message: 'Not an item of this household' }]);
    expect((await v.call(user, 'POST', `${items}/${theirs}/links`, { child_id: a })).statusCode).toBe(404);
    expect(await linkCount()).toBe(before);
    // A -> C is fine (no cycle: C does not lead back to A).
    expect((await link(a, c)).statusCode).toBe(201);
  });

  it('two links sent at once that would close a cycle together: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await doc(`X${round}`), await doc(`Y${round}`)];
      const answers = await Promise.all([link(a, b), link(b, a)]);
      expect(answers.map((answer) => answer.statusCode).sort(), answers.map((answer) => answer.body).join('\n')).toEqual([201, 400]);
      const stored = await t.db.selectFrom('item_links').select(['parent_id', 'child_id']).where('parent_id', 'in', [a, b]).execute();
      expect(stored).toHaveLength(1);
    }
  });
});
