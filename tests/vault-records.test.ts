import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { homeOf, joinAs } from './helpers/households.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';

// The household's people, vehicles, providers and saved contacts, and what hangs off items
// (contacts, coverage, limits): the shared CRUD contract, each under the user's own household
// (another user's household is a 404 everywhere), and their own rules.

const t = useTestApp();
const v = vaultCalls(t);

const inHome = (records: string) => async (user: SignedIn) => `/api/households/${(await homeOf(t.app, user)).id}/${records}`;
const underItem = (records: string, payload: Record<string, unknown>) => async (user: SignedIn) => {
  const hid = (await homeOf(t.app, user)).id;
  const item = await v.item(user, hid, payload);
  return `/api/households/${hid}/items/${item.id}/${records}`;
};
const insurance = { category: 'insurance', subcategory: 'health', name: 'Plan', fields: { policy_number: 'X', renewal_date: '2027-01-01' } };

describeCrudContract(t, {
  path: '/api/households/{hid}/people',
  collection: inHome('people'),
  create: (n) => ({ name: `Person ${n}`, relationship: 'child' }),
  change: { name: 'Renamed', birthday: '2015-06-01' },
  nullable: { field: 'phone', value: '+49 30 1234567' },
  invalid: { payload: { email: 'not-an-email' }, path: 'email' },
  sorts: ['name', 'created_at'],
  ownerColumn: 'household_id',
});

describeCrudContract(t, {
  path: '/api/households/{hid}/vehicles',
  collection: inHome('vehicles'),
  create: (n) => ({ name: `Car ${n}`, make: 'Volvo', year: 2019 }),
  change: { plate: 'B-UM 2026', color: 'red' },
  nullable: { field: 'vin', value: 'YV1MS382X62123456' },
  invalid: { payload: { vin: 'YV1MS382X6212345O' }, path: 'vin' },
  sorts: ['name', 'created_at'],
  ownerColumn: 'household_id',
});

describeCrudContract(t, {
  path: '/api/households/{hid}/providers',
  collection: inHome('providers'),
  create: (n) => ({ name: `Provider ${n}`, kind: 'bank' }),
  change: { kind: 'insurer', website: 'https://insurer.example' },
  nullable: { field: 'email', value: 'claims@insurer.example' },
  invalid: { payload: { website: 'ftp://insurer.example' }, path: 'website' },
  sorts: ['name', 'created_at'],
  ownerColumn: 'household_id',
});

describeCrudContract(t, {
  path: '/api/households/{hid}/saved-contacts',
  collection: inHome('saved-contacts'),
  create: (n) => ({ name: `Embassy ${n}`, kind: 'url', value: 'https://embassy.example', country: 'JP' }),
  change: { label: 'Visa section', country: 'KR' },
  nullable: { field: 'country', value: 'FR' },
  invalid: { payload: { country: 'XX' }, path: 'country' },
  sorts: ['name', 'created_at'],
  ownerColumn: 'household_id',
});

describeCrudContract(t, {
  path: '/api/households/{hid}/items/{id}/contacts',
  collection: underItem('contacts', { category: 'other', subcategory: 'document', name: 'Lease' }),
  idParam: 'contact_id',
  create: (n) => ({ kind: 'email', label: `Landlord ${n}`, value: 'landlord@example.com' }),
  change: { label: 'Agent' },
  nullable: { field: 'label', value: 'Office' },
  invalid: { payload: { kind: 'fax' }, path: 'kind' },
  sorts: ['created_at', 'label', 'kind'],
  ownerColumn: 'household_id',
});

describeCrudContract(t, {
  path: '/api/households/{hid}/items/{id}/coverage',
  collection: underItem('coverage', insurance),
  idParam: 'coverage_id',
  create: (n) => ({ name: `Collision ${n}`, limit: { amount: '50000.00', currency: 'EUR' } }),
  change: { name: 'Theft', notes: 'excluding bicycles' },
  nullable: { field: 'deductible', value: { amount: '500.00', currency: 'EUR' } },
  invalid: { payload: { limit: { amount: '1.001', currency: 'EUR' } }, path: 'limit.amount' },
  sorts: ['name', 'created_at'],
  ownerColumn: 'household_id',
});

describeCrudContract(t, {
  path: '/api/households/{hid}/items/{id}/coverage/limits',
  collection: underItem('coverage/limits', insurance),
  idParam: 'limit_id',
  create: () => ({ kind: 'annual_max', amount: { amount: '1500.00', currency: 'USD' } }),
  change: { kind: 'per_incident', period_start: '2026-01-01' },
  nullable: { field: 'used', value: { amount: '200.00', currency: 'USD' } },
  invalid: { payload: { kind: 'monthly' }, path: 'kind' },
  sorts: ['created_at', 'kind'],
  ownerColumn: 'household_id',
});

describe('household records: their own rules', () => {
  let owner: SignedIn;
  let hid: string;
  beforeAll(async () => {
    owner = await registerUser(t.app);
    hid = (await homeOf(t.app, owner)).id;
  });

  it("a person's user_id is a member of the household (else 400), cleared when they leave", async () => {
    const member = await registerUser(t.app);
    const outsider = await registerUser(t.app);
    await joinAs(t.db, hid, member, 'member');
    const refused = await v.call(owner, 'POST', `/api/households/${hid}/people`, { name: 'X', user_id: outsider.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ path: 'user_id', message: 'Not a member of this household' }]);
    const person = await v.created(owner, `/api/households/${hid}/people`, { name: 'Member', user_id: member.id });
    expect(person.user_id).toBe(member.id);
    expect((await v.call(owner, 'PATCH', `/api/households/${hid}/people/${person.id}`, { user_id: outsider.id })).statusCode).toBe(400);
    expect((await v.call(member, 'DELETE', `/api/households/${hid}/members/${member.id}`)).statusCode).toBe(204);
    expect((await v.call(owner, 'GET', `/api/households/${hid}/people/${person.id}`)).json().user_id).toBeNull();
  });

  it('q matches name and other text; vehicles check year and VIN; providers default to kind other', async () => {
    await v.created(owner, `/api/households/${hid}/people`, { name: 'Grandma Rose', notes: 'lives in Lyon' });
    expect((await v.call(owner, 'GET', `/api/households/${hid}/people?q=LYON`)).json().items.map((p: { name: string }) => p.name)).toEqual(['Grandma Rose']);
    const nextYear = new Date().getUTCFullYear() + 1;
    expect((await v.call(owner, 'POST', `/api/households/${hid}/vehicles`, { name: 'Future', year: nextYear })).statusCode).toBe(201);
    for (const year of [1885, nextYear + 1, 2020.5]) {
      expect((await v.call(owner, 'POST', `/api/households/${hid}/vehicles`, { name: 'Bad', year })).statusCode, String(year)).toBe(400);
    }
    const lower = await v.created(owner, `/api/households/${hid}/vehicles`, { name: 'Lower', vin: 'yv1ms382x62123456', plate: 'ZQ 42' });
    expect(lower.vin).toBe('YV1MS382X62123456');
    expect((await v.call(owner, 'GET', `/api/households/${hid}/vehicles?q=zq 4`)).json().items.map((x: { name: string }) => x.name)).toEqual(['Lower']);
    expect((await v.created(owner, `/api/households/${hid}/providers`, { name: 'Utility Co' })).kind).toBe('other');
    expect((await v.call(owner, 'GET', `/api/households/${hid}/providers?kind=other`)).json().total).toBe(1);
  });

  it('a person or provider that items refer to cannot be deleted (409 with the count); once free, it can', async () => {
    const person = await v.person(owner, hid, 'Holder');
    const provider = await v.provider(owner, hid, 'Bank');
    const passport = await v.item(owner, hid, { category: 'identity', subcategory: 'passport', name: 'P', fields: { number: 'N', holder: person.id, expiry_date: '2030-01-01' } });
    await v.item(owner, hid, { category: 'finance', subcategory: 'bank_account', name: 'Account', fields: { institution: provider.id } });
    const blocked = await v.call(owner, 'DELETE', `/api/households/${hid}/people/${person.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().detail).toBe('1 item refers to this person; change or delete it first');
    expect((await v.call(owner, 'DELETE', `/api/households/${hid}/providers/${provider.id}`)).statusCode).toBe(409);
    expect((await v.call(owner, 'DELETE', `/api/households/${hid}/people/${person.id}`, undefined, { 'if-match': '"7"' })).statusCode).toBe(412);
    await v.call(owner, 'DELETE', `/api/households/${hid}/items/${passport.id}`);
    expect((await v.call(owner, 'DELETE', `/api/households/${hid}/people/${person.id}`)).statusCode).toBe(204);
    const audit = (await v.call(owner, 'GET', `/api/households/${hid}/audit?action=person.deleted`)).json().items;
    expect(audit[0]).toMatchObject({ target: { type: 'person', id: person.id }, details: { name: 'Holder' } });
  });

  it('saved contacts filter by kind, country and q; their value is checked by kind', async () => {
    const saved = `/api/households/${hid}/saved-contacts`;
    await v.created(owner, saved, { name: 'Embassy of Japan', kind: 'phone', value: '+49 30 210940', country: 'JP' });
    await v.created(owner, saved, { name: 'Consulate of Japan', kind: 'email', value: 'visa@consulate.example', country: 'JP' });
    await v.created(owner, saved, { name: 'Claims line', kind: 'phone', value: '+1 800 555 0100' });
    const names = async (query: string) => (await v.call(owner, 'GET', `${saved}?${query}`)).json().items.map((c: { name: string }) => c.name);
    expect(await names('country=JP')).toEqual(['Consulate of Japan', 'Embassy of Japan']);
    expect(await names('country=JP&kind=phone')).toEqual(['Embassy of Japan']);
    expect(await names('q=claims')).toEqual(['Claims line']);
    expect((await v.call(owner, 'GET', `${saved}?country=jp`)).statusCode).toBe(400);
    const bad = await v.call(owner, 'POST', saved, { name: 'x', kind: 'email', value: '+49 30 1' });
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'value' })]);
    const phone = (await names('q=Embassy')).length;
    expect(phone).toBe(1);
    const embassy = (await v.call(owner, 'GET', `${saved}?q=Embassy`)).json().items[0];
    expect((await v.call(owner, 'PATCH', `${saved}/${embassy.id}`, { kind: 'url' })).statusCode).toBe(400);
  });
});

describe('contacts on items and coverage: their own rules', () => {
  let owner: SignedIn;
  let hid: string;
  beforeAll(async () => {
    owner = await registerUser(t.app);
    hid = (await homeOf(t.app, owner)).id;
  });

  it('POST {saved_contact_id} copies kind, label and value; a saved contact of another household is a 400', async () => {
    const template = await v.created(owner, `/api/households/${hid}/saved-contacts`, { name: 'Embassy', kind: 'url', label: 'Visa desk', value: 'https://embassy.example/visa', country: 'JP' });
    const visa = await v.item(owner, hid, { category: 'travel', subcategory: 'visa', name: 'Visa', fields: { country: 'JP', visa_type: 'work', valid_until: '2028-04-01' } });
    const contacts = `/api/households/${hid}/items/${visa.id}/contacts`;
    const copied = await v.created(owner, contacts, { saved_contact_id: template.id });
    expect(copied).toMatchObject({ kind: 'url', label: 'Visa desk', value: 'https://embassy.example/visa', version: 1 });
    const other = await registerUser(t.app);
    const theirs = await v.created(other, `/api/households/${(await homeOf(t.app, other)).id}/saved-contacts`, { name: 'T', kind: 'address', value: 'Somewhere 1' });
    const refused = await v.call(owner, 'POST', contacts, { saved_contact_id: theirs.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ path: 'saved_contact_id', message: 'Not a saved contact of this household' }]);
    expect((await v.call(owner, 'POST', contacts, { saved_contact_id: template.id, label: 'x' })).statusCode).toBe(400);
    expect((await v.call(owner, 'POST', contacts, { kind: 'phone', value: 'call me' })).json().errors).toEqual([expect.objectContaining({ path: 'value' })]);
    expect((await v.call(owner, 'PATCH', `${contacts}/${copied.id}`, { kind: 'phone' })).statusCode).toBe(400);
    expect((await v.call(owner, 'GET', contacts)).json().total).toBe(1);
  });

  it('coverage exists only on insurance items (409 elsewhere); the insurance item GET includes rows and limits', async () => {
    const document = await v.item(owner, hid, { category: 'other', subcategory: 'document', name: 'Not insurance' });
    for (const [method, path] of [['GET', 'coverage'], ['POST', 'coverage'], ['GET', 'coverage/limits'], ['POST', 'coverage/limits']] as const) {
      const payload = method === 'POST' ? (path === 'coverage' ? { name: 'x' } : { kind: 'annual_max', amount: { amount: '1', currency: 'EUR' } }) : undefined;
      const response = await v.call(owner, method, `/api/households/${hid}/items/${document.id}/${path}`, payload);
      expect(response.statusCode, `${method} ${path}`).toBe(409);
    }
    const plan = await v.insurance(owner, hid);
    const base = `/api/households/${hid}/items/${plan.id}/coverage`;
    const row = await v.created(owner, base, { name: 'Dental', limit: { amount: '2000', currency: 'EUR' }, deductible: { amount: '50', currency: 'EUR' } });
    expect(row).toMatchObject({ limit: { amount: '2000.00', currency: 'EUR' }, deductible: { amount: '50.00', currency: 'EUR' }, notes: null });
    const limit = await v.created(owner, `${base}/limits`, { kind: 'out_of_pocket_max', amount: { amount: '3000', currency: 'EUR' }, used: { amount: '120.5', currency: 'EUR' } });
    expect(limit.used).toEqual({ amount: '120.50', currency: 'EUR' });
    const item = (await v.call(owner, 'GET', `/api/households/${hid}/items/${plan.id}`)).json();
    expect(item.coverage).toEqual({ rows: [row], limits: [limit] });
    expect((await v.call(owner, 'GET', `/api/households/${hid}/items?category=insurance`)).json().items[0]).not.toHaveProperty('coverage');
    // `used` keeps the limit's currency, on create and on any change of either.
    const mixed = await v.call(owner, 'POST', `${base}/limits`, { kind: 'annual_max', amount: { amount: '1', currency: 'EUR' }, used: { amount: '1', currency: 'USD' } });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors).toEqual([{ path: 'used.currency', message: 'used must be in the currency of amount' }]);
    expect((await v.call(owner, 'PATCH', `${base}/limits/${limit.id}`, { amount: { amount: '9', currency: 'USD' } })).json().errors).toEqual([expect.objectContaining({ path: 'used.currency' })]);
    expect((await v.call(owner, 'PATCH', `${base}/limits/${limit.id}`, { used: { amount: '9', currency: 'USD' } })).statusCode).toBe(400);
    expect((await v.call(owner, 'GET', `${base}/limits/${limit.id}`)).json()).toEqual(limit);
    // It cannot stop being insurance while it has coverage.
    const change = await v.call(owner, 'PUT', `/api/households/${hid}/items/${plan.id}`, { category: 'other', subcategory: 'document', fields: {} });
    expect(change.statusCode).toBe(409);
    const audit = (await v.call(owner, 'GET', `/api/households/${hid}/audit?action=coverage_limit.created`)).json().items;
    expect(audit[0]).toMatchObject({ target: { type: 'coverage_limit', id: limit.id }, details: { kind: 'out_of_pocket_max' } });
  });
});
