import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { homeOf, joinAs } from './helpers/households.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';
import { get } from './helpers/views.ts';

const t = useTestApp();
const vault = vaultCalls(t);

type Result = { type: string; id: string; title: string; snippet: string; household_id?: string };

const search = async (user: SignedIn, text: string, extra = ''): Promise<Result[]> =>
  (await get(t.app, user, `/api/search?q=${encodeURIComponent(text)}${extra}`)).items;
const typesOf = (results: Result[]) => results.map((result) => result.type).sort();

describe('the vault in search', () => {
  let owner: SignedIn;
  let member: SignedIn;
  let stranger: SignedIn;
  let hid: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [owner, member, stranger] = await Promise.all([registerUser(t.app), registerUser(t.app), registerUser(t.app)]);
    hid = (await homeOf(t.app, owner)).id;
    await joinAs(t.db, hid, member, 'member');
    // "Wombat" in a different field of each type.
    ids.household_person = (await vault.created(owner, `/api/households/${hid}/people`, { name: 'Grandma', notes: 'feeds the wombat' })).id;
    ids.vehicle = (await vault.created(owner, `/api/households/${hid}/vehicles`, { name: 'Camper', make: 'Wombat' })).id;
    ids.provider = (await vault.created(owner, `/api/households/${hid}/providers`, { name: 'Wombat Mutual', kind: 'insurer' })).id;
    ids.saved_contact = (await vault.created(owner, `/api/households/${hid}/saved-contacts`, { name: 'Vet', kind: 'email', value: 'wombat@vet.example' })).id;
    ids.item = (
      await vault.item(owner, hid, { category: 'property', subcategory: 'appliance', name: 'Fridge', fields: { vendor: 'Wombat Appliances', serial_number: 'SN-778899' } })
    ).id;
    // The stranger's own household holds the word too.
    await vault.created(stranger, `/api/households/${(await homeOf(t.app, stranger)).id}/vehicles`, { name: 'Wombat mobile' });
  });

  it('finds items, household people, vehicles, providers and saved contacts, each with its household', async () => {
    for (const user of [owner, member]) {
      const results = await search(user, 'wombat');
      expect(new Map(results.map((result) => [result.type, result.id]))).toEqual(new Map(Object.entries(ids)));
      for (const result of results) expect(result.household_id).toBe(hid);
    }
    const [item] = await search(owner, 'wombat', '&types=item');
    expect(item).toMatchObject({ title: 'Fridge', snippet: expect.stringContaining('<mark>Wombat</mark> Appliances') });
    expect(typesOf(await search(owner, 'wombat', '&types=vehicle,saved_contact,todo'))).toEqual(['saved_contact', 'vehicle']);
  });

  it("matches an item's name, notes and non-sensitive text values, every word from any of them", async () => {
    expect((await search(owner, 'fridge')).map((result) => result.id)).toEqual([ids.item]);
    expect((await search(owner, 'fridge sn')).map((result) => result.id)).toEqual([ids.item]);
    await vault.call(owner, 'PATCH', `/api/households/${hid}/items/${ids.item}`, { notes: 'in the cellar' }, { 'if-match': '"1"' });
    const updated = await search(owner, 'cellar wombat');
    expect(updated.map((result) => result.id)).toEqual([ids.item]);
  });

  it('never matches a sensitive value: a passport number finds nothing', async () => {
    const passport = await vault.passport(owner, hid, { number: 'X9Q8Z7W6' }, 'Travel passport');
    expect((await search(owner, 'travel passport', '&types=item')).map((result) => result.id)).toEqual([passport.id]);
    for (const text of ['X9Q8Z7W6', 'x9q8z7w6', 'X9Q8']) expect(await search(owner, text), text).toEqual([]);
    // The number is stored, sealed: the search has something it must not find.
    const stored = await t.db.selectFrom('item_field_values').select(['value_text', 'value_sealed']).where('item_id', '=', passport.id).where('field_key', '=', 'number').executeTakeFirstOrThrow();
    expect(stored).toEqual({ value_text: null, value_sealed: expect.stringMatching(/^v1\./) });
  });

  it("keeps to the user's households: a stranger finds only their own", async () => {
    const results = await search(stranger, 'wombat');
    expect(results.map((result) => [result.type, result.title])).toEqual([['vehicle', 'Wombat mobile']]);
    expect(results[0]?.household_id).not.toBe(hid);
  });

  it('finds nothing of a household once the member is removed', async () => {
    expect(await search(member, 'wombat')).toHaveLength(5);
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/households/${hid}/members/${member.id}`, headers: owner.headers });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await search(member, 'wombat')).toEqual([]);
    expect(await search(owner, 'wombat')).toHaveLength(5);
  });

  it('forgets a deleted item', async () => {
    const item = await vault.item(owner, hid, { category: 'property', subcategory: 'warranty', name: 'Toaster numbat' });
    expect(await search(owner, 'numbat')).toHaveLength(1);
    const deleted = await vault.call(owner, 'DELETE', `/api/households/${hid}/items/${item.id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await search(owner, 'numbat')).toEqual([]);
  });
});
