import { sql } from 'kysely';
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

const auditOf = async (action: string) => (await v.call(user, 'GET', `/api/households/${hid}/audit?action=${action}&limit=200`)).json().items;

describe('items: create, read, delete', () => {
  it('creates with 201, version 1 and an ETag, and reads the item back with its sensitive values', async () => {
    const created = await v.call(user, 'POST', items, {
      category: 'identity',
      subcategory: 'passport',
      name: 'Ada passport',
      notes: 'in the drawer',
      fields: { number: 'C01X00T47', holder: (await v.person(user, hid)).id, expiry_date: '2031-08-01', issuing_country: 'DE' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const item = created.json();
    expect(item).toMatchObject({
      category: 'identity',
      subcategory: 'passport',
      name: 'Ada passport',
      notes: 'in the drawer',
      version: 1,
      coverage: null,
      created_by: { id: user.id, display_name: user.display_name },
      fields: { number: 'C01X00T47', expiry_date: '2031-08-01', issuing_country: 'DE' },
    });
    // file_count comes with the files module; a new item has none (tests/files.test.ts counts them).
    expect(item.file_count).toBe(0);
    const fetched = await v.call(user, 'GET', `${items}/${item.id}`);
    expect(fetched.json()).toEqual(item);
    expect(fetched.headers.etag).toBe('"1"');
  });

  it('keeps sensitive values encrypted at rest, out of lists, links and the audit log', async () => {
    const secret = 'SECRET-PASS-4711';
    const item = await v.passport(user, hid, { number: secret }, 'Sealed passport');
    const rows = await t.db.selectFrom('item_field_values').selectAll().where('item_id', '=', item.id).where('field_key', '=', 'number').execute();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.value_text).toBeNull();
    expect(row?.value_sealed).toMatch(/^v1\./);
    // Nothing in the item's rows or the audit log reveals the value to someone reading the database alone.
    const everything = JSON.stringify(await t.db.selectFrom('item_field_values').selectAll().where('item_id', '=', item.id).execute());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from(secret).toString('base64'));
    const audit = await sql<{ details: unknown }>`select details from audit_log where household_id = ${hid}`.execute(t.db);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
    expect((await auditOf('item.created')).find((entry: { target: { id: string } }) => entry.target.id === item.id).details).toEqual({
      name: 'Sealed passport',
      category: 'identity',
      subcategory: 'passport',
      fields: ['expiry_date', 'holder', 'number'],
    });
    const list = await v.call(user, 'GET', `${items}?q=Sealed`);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0].fields).not.toHaveProperty('number');
    expect(list.json().items[0].fields).toHaveProperty('expiry_date');
    expect(list.body).not.toContain(secret);
    expect((await v.call(user, 'GET', `${items}/${item.id}`)).json().fields.number).toBe(secret);
    // A sealed value moved to another item does not open there: it is bound to its item and field.
    const other = await v.passport(user, hid, {}, 'Other passport');
    await t.db.updateTable('item_field_values').set({ value_sealed: row?.value_sealed ?? '' }).where('item_id', '=', other.id).where('field_key', '=', 'number').execute();
    expect((await v.call(user, 'GET', `${items}/${other.id}`)).statusCode).toBe(500);
  });

  it('stores a zero-knowledge "enc:" value as sent, only on sensitive fields', async () => {
    const opaque = `enc:${Buffer.from('x'.repeat(900)).toString('base64')}`;
    const item = await v.passport(user, hid, { number: opaque }, 'ZK passport');
    expect(item.fields.number).toBe(opaque);
    const row = await t.db.selectFrom('item_field_values').select(['value_sealed', 'value_text']).where('item_id', '=', item.id).where('field_key', '=', 'number').executeTakeFirstOrThrow();
    expect(row).toEqual({ value_sealed: opaque, value_text: null });
    const bad = await v.call(user, 'POST', items, { category: 'identity', subcategory: 'passport', name: 'x', fields: { ...item.fields, number: 'enc:not base64!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'fields.number' })]);
    // On a field that is not sensitive an "enc:" string is plain text, with the text's limits.
    const plain = await v.item(user, hid, { category: 'property', subcategory: 'warranty', name: 'enc text', fields: { vendor: 'enc:QUJD' } });
    expect(plain.fields.vendor).toBe('enc:QUJD');
    expect((await v.call(user, 'GET', `${items}?q=enc text`)).json().items[0].fields.vendor).toBe('enc:QUJD');
  });

  it('deletes with 204 (its links and contacts with it) and records it', async () => {
    const parent = await v.item(user, hid, { category: 'other', subcategory: 'document', name: 'Trip' });
    const child = await v.item(user, hid, { category: 'other', subcategory: 'document', name: 'Ticket' });
    await v.created(user, `${items}/${parent.id}/links`, { child_id: child.id });
    await v.created(user, `${items}/${child.id}/contacts`, { kind: 'email', value: 'desk@airline.example' });
    expect((await v.call(user, 'DELETE', `${items}/${child.id}`, undefined, { 'if-match': '"2"' })).statusCode).toBe(412);
    expect((await v.call(user, 'DELETE', `${items}/${child.id}`)).statusCode).toBe(204);
    expect((await v.call(user, 'GET', `${items}/${child.id}`)).statusCode).toBe(404);
    expect((await v.call(user, 'GET', `${items}/${parent.id}/links`)).json().children).toEqual([]);
    expect(await t.db.selectFrom('item_contacts').select('id').where('item_id', '=', child.id).execute()).toEqual([]);
    expect((await auditOf('item.deleted'))[0]).toMatchObject({ target: { type: 'item', id: child.id }, details: { name: 'Ticket' } });
  });
});

describe('PUT replaces fields, PATCH merges', () => {
  const warranty = () =>
    v.item(user, hid, {
      category: 'property',
      subcategory: 'warranty',
      name: 'Fridge',
      fields: { vendor: 'Cold Inc', purchase_date: '2025-01-10', price: { amount: '899', currency: 'EUR' }, warranty_until: '2027-01-10' },
    });

  it('PATCH changes sent keys, removes null keys and keeps the others; the version goes up by one', async () => {
    const item = await warranty();
    const patched = await v.call(user, 'PATCH', `${items}/${item.id}`, { fields: { vendor: 'Colder Inc', purchase_date: null } }, { 'if-match': '"1"' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.json().fields).toEqual({ vendor: 'Colder Inc', price: { amount: '899.00', currency: 'EUR' }, warranty_until: '2027-01-10' });
    expect((await auditOf('item.updated'))[0].details).toEqual({ name: 'Fridge', changed: [], fields: ['purchase_date', 'vendor'] });
    const empty = await v.call(user, 'PATCH', `${items}/${item.id}`, {});
    expect(empty.json().version).toBe(2);
  });

  it('PUT replaces fields whole: what is not sent is removed', async () => {
    const item = await warranty();
    const put = await v.call(user, 'PUT', `${items}/${item.id}`, { name: 'Fridge (kitchen)', fields: { vendor: 'Cold Inc' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ name: 'Fridge (kitchen)', version: 2, fields: { vendor: 'Cold Inc' } });
    expect(Object.keys(put.json().fields)).toEqual(['vendor']);
    // Without `fields`, PUT keeps them (top-level fields are partial, as everywhere).
    const rename = await v.call(user, 'PUT', `${items}/${item.id}`, { notes: 'warranty card in the manual' });
    expect(rename.json()).toMatchObject({ name: 'Fridge (kitchen)', notes: 'warranty card in the manual', fields: { vendor: 'Cold Inc' }, version: 3 });
  });

  it('category and subcategory change only with PUT, and the fields must fit the new definition', async () => {
    const item = await warranty();
    for (const key of ['category', 'subcategory']) {
      const refused = await v.call(user, 'PATCH', `${items}/${item.id}`, { [key]: 'property' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([expect.objectContaining({ path: key, message: expect.stringMatching(/only with PUT/) })]);
    }
    // The stored fields do not fit a lease with an unknown pair, nor a bank account.
    expect((await v.call(user, 'PUT', `${items}/${item.id}`, { subcategory: 'passport' })).json().errors).toEqual([expect.objectContaining({ path: 'subcategory' })]);
    const misfit = await v.call(user, 'PUT', `${items}/${item.id}`, { category: 'finance', subcategory: 'bank_account' });
    expect(misfit.statusCode).toBe(400);
    expect(misfit.json().errors.map((error: { path: string }) => error.path).sort()).toEqual(['fields.price', 'fields.purchase_date', 'fields.vendor', 'fields.warranty_until']);
    const moved = await v.call(user, 'PUT', `${items}/${item.id}`, { category: 'property', subcategory: 'appliance' });
    expect(moved.json()).toMatchObject({ category: 'property', subcategory: 'appliance', version: 2 });
    const changed = await v.call(user, 'PUT', `${items}/${item.id}`, { category: 'finance', subcategory: 'loan', fields: { due_date: '2026-12-24', autopay: true } });
    expect(changed.json()).toMatchObject({ category: 'finance', subcategory: 'loan', fields: { due_date: '2026-12-24', autopay: true }, version: 3 });
  });

  it('refuses a removed required field, a stale If-Match and a bad value, changing nothing', async () => {
    const item = await v.passport(user, hid);
    const url = `${items}/${item.id}`;
    const required = await v.call(user, 'PATCH', url, { fields: { expiry_date: null } });
    expect(required.json().errors).toEqual([{ path: 'fields.expiry_date', message: 'Required for identity/passport' }]);
    expect((await v.call(user, 'PUT', url, { fields: { number: 'X' } })).statusCode).toBe(400);
    for (const method of ['PUT', 'PATCH'] as const) {
      const stale = await v.call(user, method, url, { name: 'stale' }, { 'if-match': '"9"' });
      expect(stale.statusCode).toBe(412);
    }
    expect((await v.call(user, 'PATCH', url, { fields: { issuing_country: 'de' } })).json().errors).toEqual([expect.objectContaining({ path: 'fields.issuing_country' })]);
    expect((await v.call(user, 'GET', url)).json()).toEqual(item);
  });
});

describe('the item list', () => {
  let lister: SignedIn;
  let list: string;
  let ids: Record<string, string>;
  let ada: string;
  let van: string;
  let insurer: string;

  beforeAll(async () => {
    // Far east of UTC: "today" is often another date than the server's.
    lister = await registerUser(t.app, { timezone: 'Pacific/Kiritimati' });
    const home = (await homeOf(t.app, lister)).id;
    list = `/api/households/${home}/items`;
    const today = (await t.db.selectNoFrom(sql<string>`(now() at time zone 'Pacific/Kiritimati')::date::text`.as('d')).executeTakeFirstOrThrow()).d;
    const shift = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    ada = (await v.person(lister, home, 'Ada')).id;
    const bob = (await v.person(lister, home, 'Bob')).id;
    van = (await v.vehicle(lister, home, 'Van')).id;
    insurer = (await v.provider(lister, home, 'Allsure')).id;
    const made = async (payload: Record<string, unknown>) => (await v.item(lister, home, payload)).id;
    ids = {
      passport: await made({ category: 'identity', subcategory: 'passport', name: 'passport Ada', fields: { number: 'P1', holder: ada, expiry_date: shift(40) } }),
      expired: await made({ category: 'identity', subcategory: 'national_id', name: 'ID Bob', fields: { number: 'N1', holder: bob, expiry_date: shift(-3) } }),
      today: await made({ category: 'vehicle', subcategory: 'registration', name: 'Van registration', fields: { vehicle: van, expiry_date: shift(0) } }),
      auto: await made({ category: 'insurance', subcategory: 'auto', name: 'Auto policy', notes: 'call Allsure first', fields: { policy_number: 'A1', provider: insurer, vehicle: van, renewal_date: shift(10), start_date: shift(-300) } }),
      // A date without reminders (purchase_date) never counts; only warranty_until does.
      fridge: await made({ category: 'property', subcategory: 'appliance', name: 'fridge', fields: { purchase_date: shift(1), warranty_until: shift(400) } }),
      undated: await made({ category: 'other', subcategory: 'document', name: 'Deed' }),
    };
  });

  const names = async (query: string) => {
    const response = await v.call(lister, 'GET', `${list}?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items.map((item: { name: string }) => item.name);
  };

  it('filters by category, subcategory and q (name and notes, case-insensitive)', async () => {
    expect(await names('category=identity')).toEqual(['ID Bob', 'passport Ada']);
    expect(await names('category=identity&subcategory=passport')).toEqual(['passport Ada']);
    expect(await names('q=ALLSURE')).toEqual(['Auto policy']);
    expect(await names('q=fri')).toEqual(['fridge']);
    expect((await v.call(lister, 'GET', `${list}?category=spaceship`)).statusCode).toBe(400);
  });

  it('filters by the records reference fields name', async () => {
    expect(await names(`person_id=${ada}`)).toEqual(['passport Ada']);
    expect(await names(`vehicle_id=${van}`)).toEqual(['Auto policy', 'Van registration']);
    expect(await names(`provider_id=${insurer}`)).toEqual(['Auto policy']);
    expect(await names(`person_id=${ada}&vehicle_id=${van}`)).toEqual([]);
    expect(await names('person_id=00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('expiring_before: any reminder date on or before the date, past ones included', async () => {
    const today = (await t.db.selectNoFrom(sql<string>`(now() at time zone 'Pacific/Kiritimati')::date::text`.as('d')).executeTakeFirstOrThrow()).d;
    expect(await names(`expiring_before=${today}`)).toEqual(['ID Bob', 'Van registration']);
    const in10 = new Date(Date.parse(`${today}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(await names(`expiring_before=${in10}`)).toEqual(['Auto policy', 'ID Bob', 'Van registration']);
    expect(await names('expiring_before=9999-12-31')).toEqual(['Auto policy', 'fridge', 'ID Bob', 'passport Ada', 'Van registration']);
    expect((await v.call(lister, 'GET', `${list}?expiring_before=2026-02-30`)).statusCode).toBe(400);
  });

  it('sorts by name, created_at, updated_at and next_date (upcoming reminder dates, undated last both ways)', async () => {
    expect(await names('sort=name')).toEqual(['Auto policy', 'Deed', 'fridge', 'ID Bob', 'passport Ada', 'Van registration']);
    expect(await names('sort=-name')).toEqual(['Van registration', 'passport Ada', 'ID Bob', 'fridge', 'Deed', 'Auto policy']);
    const created = ['passport Ada', 'ID Bob', 'Van registration', 'Auto policy', 'fridge', 'Deed'];
    expect(await names('sort=created_at')).toEqual(created);
    expect(await names('sort=-created_at')).toEqual([...created].reverse());
    await v.call(lister, 'PATCH', `${list}/${ids.passport}`, { notes: 'touched' });
    expect((await names('sort=-updated_at'))[0]).toBe('passport Ada');
    // Bob's ID expired: no upcoming reminder date, so it sorts with the undated.
    const upcoming = ['Van registration', 'Auto policy', 'passport Ada', 'fridge'];
    const next = await names('sort=next_date');
    expect(next.slice(0, 4)).toEqual(upcoming);
    expect(new Set(next.slice(4))).toEqual(new Set(['Deed', 'ID Bob']));
    const descending = await names('sort=-next_date');
    expect(descending.slice(0, 4)).toEqual([...upcoming].reverse());
    expect(new Set(descending.slice(4))).toEqual(new Set(['Deed', 'ID Bob']));
  });

  it('pages in the envelope with a stable order', async () => {
    const page = await v.call(lister, 'GET', `${list}?limit=2&offset=2&sort=next_date`);
    expect(page.json()).toMatchObject({ total: 6, limit: 2, offset: 2 });
    const all: string[] = [];
    for (let offset = 0; offset < 6; offset += 2) all.push(...(await names(`sort=next_date&limit=2&offset=${offset}`)));
    expect(all).toEqual(await names('sort=next_date'));
    expect((await v.call(lister, 'GET', `${list}?sort=expiry`)).statusCode).toBe(400);
  });
});

describe('references to household records', () => {
  it("refuses another household's vehicle with a 400 naming the field; deleting a referenced record is a 409 naming the count", async () => {
    const other = await registerUser(t.app);
    const theirVan = await v.vehicle(other, (await homeOf(t.app, other)).id, 'Their van');
    const before = (await v.call(user, 'GET', `${items}?limit=1`)).json().total;
    const refused = await v.call(user, 'POST', items, { category: 'vehicle', subcategory: 'registration', name: 'x', fields: { vehicle: theirVan.id, expiry_date: '2027-01-01' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ path: 'fields.vehicle', message: 'Not a vehicle of this household' }]);
    expect((await v.call(user, 'GET', `${items}?limit=1`)).json().total).toBe(before);
    expect(await t.db.selectFrom('item_field_values').select('item_id').where('value_vehicle', '=', theirVan.id).execute()).toEqual([]);

    const van = await v.vehicle(user, hid, 'Our van');
    for (const name of ['registration', 'inspection']) {
      await v.item(user, hid, { category: 'vehicle', subcategory: name, name, fields: { vehicle: van.id, expiry_date: '2027-01-01' } });
    }
    const blocked = await v.call(user, 'DELETE', `/api/households/${hid}/vehicles/${van.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().detail).toMatch(/^2 items refer to this vehicle/);
    expect((await v.call(user, 'GET', `/api/households/${hid}/vehicles/${van.id}`)).statusCode).toBe(200);
    // The database holds the line too: a value row naming another household's vehicle is refused.
    const item = (await v.call(user, 'GET', `${items}?vehicle_id=${van.id}`)).json().items[0];
    const forged = t.db.updateTable('item_field_values').set({ value_vehicle: theirVan.id }).where('item_id', '=', item.id).where('field_key', '=', 'vehicle').execute();
    await expect(forged).rejects.toThrow(/foreign key/);
  });

  it('deleting the household deletes every record of it, references and all', async () => {
    const owner = await registerUser(t.app);
    const flat = (await v.created(owner, '/api/households', { name: 'Flat' })).id;
    const passport = await v.passport(owner, flat);
    const plan = await v.insurance(owner, flat, { provider: (await v.provider(owner, flat)).id });
    await v.created(owner, `/api/households/${flat}/items/${plan.id}/coverage`, { name: 'All risks' });
    await v.created(owner, `/api/households/${flat}/items/${plan.id}/links`, { child_id: passport.id });
    expect((await v.call(owner, 'DELETE', `/api/households/${flat}`)).statusCode).toBe(204);
    for (const table of ['items', 'item_field_values', 'household_people', 'providers', 'item_coverage', 'item_links'] as const) {
      const left = await t.db.selectFrom(table).select('household_id').where('household_id', '=', flat).execute();
      expect(left, table).toEqual([]);
    }
  });
});
