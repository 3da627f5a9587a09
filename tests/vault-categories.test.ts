import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCategoryTable } from '../scripts/vault-category-table.ts';
import { CATEGORIES, FIELD_TYPES, REFERENCE_TYPES } from '../src/modules/vault/categories.ts';
import { VISA_TYPE_KEYS } from '../src/modules/vault/visa-types.ts';
import { useTestApp } from './helpers/app.ts';
import { registerUser } from './helpers/users.ts';

const t = useTestApp();

const subcategories = CATEGORIES.flatMap((category) => category.subcategories.map((sub) => ({ category: category.key, ...sub })));
const fields = subcategories.flatMap((sub) => sub.fields.map((field) => ({ where: `${sub.category}/${sub.key}/${field.key}`, ...field })));
const KEY = /^[a-z][a-z0-9_]*$/;

describe('the category definitions themselves', () => {
  it('have unique, well-formed keys at every level', () => {
    expect(new Set(CATEGORIES.map((category) => category.key)).size).toBe(CATEGORIES.length);
    for (const category of CATEGORIES) {
      expect(category.key).toMatch(KEY);
      expect(category.subcategories.length, category.key).toBeGreaterThan(0);
      expect(new Set(category.subcategories.map((sub) => sub.key)).size, category.key).toBe(category.subcategories.length);
    }
    for (const sub of subcategories) {
      expect(sub.key).toMatch(KEY);
      expect(new Set(sub.fields.map((field) => field.key)).size, `${sub.category}/${sub.key}`).toBe(sub.fields.length);
    }
    for (const field of fields) {
      expect(field.key, field.where).toMatch(KEY);
      expect(field.label.length, field.where).toBeGreaterThan(0);
    }
  });

  it('know every type; options only and always on selects; reminder days only on dates; sensitive only on text', () => {
    for (const field of fields) {
      expect(FIELD_TYPES, field.where).toContain(field.type);
      if (field.type === 'select') {
        expect(field.options?.length, field.where).toBeGreaterThan(0);
        expect(new Set(field.options).size, field.where).toBe(field.options?.length);
      } else {
        expect(field.options, field.where).toBeUndefined();
      }
      if (field.reminder_days !== undefined) {
        expect(field.type, field.where).toBe('date');
        expect(field.reminder_days.length, field.where).toBeGreaterThan(0);
        for (const days of field.reminder_days) expect(Number.isInteger(days) && days > 0, field.where).toBe(true);
      }
      if (field.sensitive) expect(['text', 'long_text'], field.where).toContain(field.type);
      expect(typeof field.required, field.where).toBe('boolean');
    }
    // Every reference type names a table the vault checks references against.
    expect(REFERENCE_TYPES.every((type) => FIELD_TYPES.includes(type))).toBe(true);
    const used = new Set(fields.map((field) => field.type));
    for (const type of REFERENCE_TYPES) expect(used, type).toContain(type);
  });

  it('hold at least the contract table, with its required fields, reminders and sensitivity', () => {
    const find = (path: string) => fields.find((field) => field.where === path);
    for (const sub of ['passport', 'national_id', 'driver_license']) {
      expect(find(`identity/${sub}/number`)).toMatchObject({ type: 'text', required: true, sensitive: true });
      expect(find(`identity/${sub}/holder`)).toMatchObject({ type: 'person', required: true });
      expect(find(`identity/${sub}/expiry_date`)).toMatchObject({ type: 'date', required: true, reminder_days: [180, 30] });
    }
    for (const sub of ['health', 'auto', 'home', 'life', 'travel', 'liability']) {
      expect(find(`insurance/${sub}/policy_number`)).toMatchObject({ required: true, sensitive: true });
      expect(find(`insurance/${sub}/renewal_date`)).toMatchObject({ required: true, reminder_days: [30, 7] });
      expect(find(`insurance/${sub}/premium`)).toMatchObject({ type: 'money' });
      expect(find(`insurance/${sub}/vehicle`) !== undefined, sub).toBe(sub === 'auto');
    }
    expect(find('travel/visa/visa_type')).toMatchObject({ type: 'select', required: true, options: VISA_TYPE_KEYS });
    expect(find('travel/residence_permit/valid_until')).toMatchObject({ required: true, reminder_days: [60, 14] });
    expect(find('vehicle/loan/vehicle')).toMatchObject({ type: 'vehicle', required: true });
    expect(find('property/appliance/warranty_until')).toMatchObject({ reminder_days: [30] });
    expect(find('finance/tax/due_date')).toMatchObject({ reminder_days: [14, 3] });
    expect(find('finance/credit_card/account_number')).toMatchObject({ sensitive: true, required: false });
    expect(find('business/contract/due_date')).toMatchObject({ required: true, reminder_days: [30, 7] });
    expect(subcategories.find((sub) => sub.category === 'other' && sub.key === 'document')?.fields).toEqual([]);
  });

  it('are what the README table shows (regenerate it with scripts/vault-category-table.ts)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const copy = /<!-- vault-categories:start -->\n([\s\S]*?)\n<!-- vault-categories:end -->/.exec(readme)?.[1];
    expect(copy, 'the README holds the table between its markers').toBeDefined();
    expect(copy).toBe(renderCategoryTable());
  });
});

describe('GET /api/categories, /api/countries, /api/visa-types', () => {
  it('serves the definitions exactly in the contract shape', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'GET', url: '/api/categories', headers: user.headers });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({ items: JSON.parse(JSON.stringify(CATEGORIES)) });
    const passport = body.items[0].subcategories[0];
    expect(passport.fields[0]).toEqual({ key: 'number', label: 'Document number', type: 'text', required: true, sensitive: true });
    expect(passport.fields.find((field: { key: string }) => field.key === 'expiry_date')).toEqual({
      key: 'expiry_date',
      label: 'Expiry date',
      type: 'date',
      required: true,
      sensitive: false,
      reminder_days: [180, 30],
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/categories' })).statusCode).toBe(401);
  });

  it('lists ISO 3166-1 countries in English by name, and the visa types', async () => {
    const user = await registerUser(t.app);
    const countries = (await t.app.inject({ method: 'GET', url: '/api/countries', headers: user.headers })).json().items;
    expect(countries.length).toBeGreaterThanOrEqual(249);
    expect(countries).toEqual(expect.arrayContaining([{ code: 'DE', name: 'Germany' }, { code: 'JP', name: 'Japan' }]));
    const names = countries.map((country: { name: string }) => country.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(countries.every((country: { code: string }) => /^[A-Z]{2}$/.test(country.code))).toBe(true);
    const visaTypes = (await t.app.inject({ method: 'GET', url: '/api/visa-types', headers: user.headers })).json().items;
    expect(visaTypes.map((type: { key: string }) => type.key)).toEqual(expect.arrayContaining(['tourist', 'business', 'student', 'work', 'transit', 'residence', 'family']));
    expect(visaTypes.every((type: { label: string }) => type.label.length > 0)).toBe(true);
  });

  it('knows currencies from ICU: EUR, USD and JPY, not XXX or made-up codes', () => {
    const currencies = Intl.supportedValuesOf('currency');
    expect(currencies).toEqual(expect.arrayContaining(['EUR', 'USD', 'JPY', 'GBP', 'CHF']));
    for (const code of ['XXX', 'XTS', 'ABC', 'EURO', 'eur']) expect(currencies, code).not.toContain(code);
  });
});
