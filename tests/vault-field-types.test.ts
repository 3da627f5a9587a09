import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { homeOf } from './helpers/households.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';

// Every field type of the contract's table, accepted and refused through HTTP. A refusal is a
// 400 naming `fields.<key>` and stores nothing.

const t = useTestApp();
const v = vaultCalls(t);

let user: SignedIn;
let hid: string;
let refs: { person: string; vehicle: string; provider: string; theirPerson: string; theirVehicle: string; theirProvider: string };

beforeAll(async () => {
  user = await registerUser(t.app);
  hid = (await homeOf(t.app, user)).id;
  const other = await registerUser(t.app);
  const theirs = (await homeOf(t.app, other)).id;
  refs = {
    person: (await v.person(user, hid)).id,
    vehicle: (await v.vehicle(user, hid)).id,
    provider: (await v.provider(user, hid)).id,
    theirPerson: (await v.person(other, theirs)).id,
    theirVehicle: (await v.vehicle(other, theirs)).id,
    theirProvider: (await v.provider(other, theirs)).id,
  };
});

type Case = { type: string; category: string; subcategory: string; key: string; base: Record<string, unknown>; good: unknown[]; bad: unknown[] };

const cases = (): Case[] => [
  { type: 'text', category: 'property', subcategory: 'warranty', key: 'vendor', base: {}, good: ['ACME', 'x'.repeat(500)], bad: ['', 'x'.repeat(501), 5, ['a']] },
  {
    type: 'long_text',
    category: 'health',
    subcategory: 'vaccination',
    key: 'reactions',
    base: { holder: refs.person, vaccine: 'Tetanus' },
    good: ['x'.repeat(10000)],
    bad: ['', 'x'.repeat(10001), true],
  },
  { type: 'number', category: 'vehicle', subcategory: 'inspection', key: 'odometer', base: { vehicle: refs.vehicle, expiry_date: '2027-03-01' }, good: [123456.5, 0, -3], bad: ['12', {}, true] },
  {
    type: 'money',
    category: 'property',
    subcategory: 'appliance',
    key: 'price',
    base: {},
    good: [{ amount: '1250.00', currency: 'EUR' }, { amount: '0.5', currency: 'JPY' }, { amount: '999999999999.99', currency: 'USD' }],
    bad: [
      { amount: '1.234', currency: 'EUR' },
      { amount: '12', currency: 'XXX' },
      { amount: '12', currency: 'eur' },
      { amount: 12, currency: 'EUR' },
      { amount: '-1', currency: 'EUR' },
      { amount: '1e5', currency: 'EUR' },
      { amount: '1000000000000', currency: 'EUR' },
      { amount: '12' },
      { amount: '12', currency: 'EUR', rate: 1 },
      '12 EUR',
    ],
  },
  {
    type: 'date',
    category: 'property',
    subcategory: 'lease',
    key: 'purchase_date',
    base: {},
    good: ['2024-02-29', '1000-01-01', '9999-12-31'],
    bad: ['2023-02-29', '2026-02-30', '0999-12-31', '10000-01-01', '2026-1-1', 20260101, '2026-01-01T00:00:00Z'],
  },
  { type: 'boolean', category: 'finance', subcategory: 'loan', key: 'autopay', base: {}, good: [true, false], bad: ['true', 1, 'yes'] },
  {
    type: 'select',
    category: 'insurance',
    subcategory: 'home',
    key: 'premium_frequency',
    base: { policy_number: 'H-1', renewal_date: '2027-01-01' },
    good: ['monthly', 'yearly'],
    bad: ['weekly', 'Monthly', 1],
  },
  { type: 'email', category: 'property', subcategory: 'warranty', key: 'support_email', base: {}, good: ['help@acme.example'], bad: ['nope', 'a@', 7] },
  {
    type: 'phone',
    category: 'property',
    subcategory: 'warranty',
    key: 'support_phone',
    base: {},
    good: ['+49 30 1234-56', '+1-555-0100', '+123'],
    bad: ['030 1234', '+12', '+1 555 0100 ext 7', `+${'1'.repeat(21)}`, '+49 (30) 1234'],
  },
  {
    type: 'url',
    category: 'property',
    subcategory: 'warranty',
    key: 'support_url',
    base: {},
    good: ['https://acme.example/support', 'http://acme.example'],
    bad: ['ftp://acme.example', 'acme.example', 'javascript:alert(1)'],
  },
  { type: 'country', category: 'travel', subcategory: 'visa', key: 'country', base: { visa_type: 'work', valid_until: '2027-01-01' }, good: ['JP', 'DE'], bad: ['jp', 'XX', 'JPN', ''] },
  {
    type: 'person',
    category: 'identity',
    subcategory: 'passport',
    key: 'holder',
    base: { number: 'P1', expiry_date: '2030-01-01' },
    good: [refs.person],
    bad: [refs.theirPerson, refs.vehicle, '00000000-0000-4000-8000-000000000000', 'not-a-uuid'],
  },
  {
    type: 'vehicle',
    category: 'insurance',
    subcategory: 'auto',
    key: 'vehicle',
    base: { policy_number: 'A-1', renewal_date: '2027-01-01' },
    good: [refs.vehicle],
    bad: [refs.theirVehicle, refs.person],
  },
  {
    type: 'provider',
    category: 'finance',
    subcategory: 'bank_account',
    key: 'institution',
    base: {},
    good: [refs.provider],
    bad: [refs.theirProvider, refs.person],
  },
];

/** Amounts come back with two decimals. */
function canonical(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('amount' in value) || typeof value.amount !== 'string') return value;
  return { ...value, amount: Number(value.amount).toFixed(2) };
}

const itemCount = async () => (await v.call(user, 'GET', `/api/households/${hid}/items?limit=1`)).json().total;

describe('field types', () => {
  it('cover every type the definitions use', async () => {
    const { FIELD_TYPES } = await import('../src/modules/vault/categories.ts');
    expect(cases().map((entry) => entry.type).sort()).toEqual([...FIELD_TYPES].sort());
  });

  it.each(['accepted', 'refused'] as const)('are %s as the contract table says', async (outcome) => {
    for (const entry of cases()) {
      for (const value of outcome === 'accepted' ? entry.good : entry.bad) {
        const before = await itemCount();
        const response = await v.call(user, 'POST', `/api/households/${hid}/items`, {
          category: entry.category,
          subcategory: entry.subcategory,
          name: `${entry.type} ${JSON.stringify(value).slice(0, 20)}`,
          fields: { ...entry.base, [entry.key]: value },
        });
        const label = `${entry.type} ${JSON.stringify(value).slice(0, 60)}: ${response.body.slice(0, 300)}`;
        if (outcome === 'accepted') {
          expect(response.statusCode, label).toBe(201);
          const stored = response.json().fields[entry.key];
          expect(stored, label).toEqual(canonical(value));
        } else {
          expect(response.statusCode, label).toBe(400);
          const paths = response.json().errors.map((error: { path: string }) => error.path);
          expect(paths.every((path: string) => path === `fields.${entry.key}` || path.startsWith(`fields.${entry.key}.`)), label).toBe(true);
          expect(await itemCount(), label).toBe(before);
        }
      }
    }
  });

  it('refuse an unknown key, a missing required field and an undefined category pair, storing nothing', async () => {
    const before = await itemCount();
    const post = (payload: Record<string, unknown>) => v.call(user, 'POST', `/api/households/${hid}/items`, payload);
    const unknown = await post({ category: 'property', subcategory: 'warranty', name: 'x', fields: { surprise: 1, vendor: 'A' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ path: 'fields.surprise', message: 'Unknown field for property/warranty' }]);
    const missing = await post({ category: 'identity', subcategory: 'passport', name: 'x', fields: { number: 'P1', holder: refs.person } });
    expect(missing.json().errors).toEqual([{ path: 'fields.expiry_date', message: 'Required for identity/passport' }]);
    // The vehicle field exists on auto insurance only.
    const elsewhere = await post({ category: 'insurance', subcategory: 'home', name: 'x', fields: { policy_number: 'H', renewal_date: '2027-01-01', vehicle: refs.vehicle } });
    expect(elsewhere.json().errors).toEqual([{ path: 'fields.vehicle', message: 'Unknown field for insurance/home' }]);
    const pair = await post({ category: 'identity', subcategory: 'warranty', name: 'x' });
    expect(pair.statusCode).toBe(400);
    expect(pair.json().errors).toEqual([expect.objectContaining({ path: 'subcategory' })]);
    const category = await post({ category: 'spaceship', subcategory: 'warranty', name: 'x' });
    expect(category.json().errors).toEqual([expect.objectContaining({ path: 'category' })]);
    expect(await itemCount()).toBe(before);
  });
});
