import { beforeAll, describe, expect, it } from 'vitest';
import { listReminders } from '../src/modules/vault-reminders/reminder-queries.ts';
import { listVaultReminders } from '../src/modules/vault-reminders/index.ts';
import { useTestApp } from './helpers/app.ts';
import { type Household, householdWithEveryRole } from './helpers/households.ts';
import { vaultCalls } from './helpers/vault.ts';

const t = useTestApp();
const vault = vaultCalls(t);

let home: Household;
beforeAll(async () => {
  home = await householdWithEveryRole(t.app, t.db);
});

const list = async (query: string, who = home.owner) => {
  const response = await vault.call(who, 'GET', `/api/households/${home.id}/reminders?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const days = (items: Array<{ item_name: string; field: string | null; remind_on: string; days_before: number | null }>, name: string) =>
  items.filter((item) => item.item_name === name).map((item) => [item.field, item.remind_on, item.days_before]);

describe('computed reminders', () => {
  it('fall on the date minus each reminder day count, across month ends and leap years', async () => {
    // 29 February 2028 minus 180 days is 2 September 2027; minus 30 days, 30 January 2028.
    await vault.passport(home.owner, home.id, { expiry_date: '2028-02-29' }, 'Leap passport');
    // 30 days before 30 March: 29 February in a leap year, 28 February in another.
    await vault.insurance(home.owner, home.id, { renewal_date: '2028-03-30' }, 'Leap renewal');
    await vault.insurance(home.owner, home.id, { renewal_date: '2027-03-30' }, 'Plain renewal');
    // 7 days before 3 March 2027 is 24 February; 30 days before 31 March 2027 is 1 March.
    await vault.insurance(home.owner, home.id, { renewal_date: '2027-03-03' }, 'Early March');
    await vault.insurance(home.owner, home.id, { renewal_date: '2027-03-31' }, 'Month end');
    const body = await list('from=2027-01-01&to=2027-12-31');
    expect(body).toMatchObject({ from: '2027-01-01', to: '2027-12-31' });
    expect(days(body.items, 'Leap passport')).toEqual([['expiry_date', '2027-09-02', 180]]);
    expect(days(body.items, 'Plain renewal')).toEqual([
      ['renewal_date', '2027-02-28', 30],
      ['renewal_date', '2027-03-23', 7],
    ]);
    expect(days(body.items, 'Early March')).toEqual([
      ['renewal_date', '2027-02-01', 30],
      ['renewal_date', '2027-02-24', 7],
    ]);
    expect(days(body.items, 'Month end')).toEqual([
      ['renewal_date', '2027-03-01', 30],
      ['renewal_date', '2027-03-24', 7],
    ]);
    const leap = await list('from=2028-01-01&to=2028-03-31');
    expect(days(leap.items, 'Leap passport')).toEqual([['expiry_date', '2028-01-30', 30]]);
    expect(days(leap.items, 'Leap renewal')).toEqual([
      ['renewal_date', '2028-02-29', 30],
      ['renewal_date', '2028-03-23', 7],
    ]);
    // In the contract's order: remind_on, then date, then item name; the whole shape.
    const onDay = leap.items.filter((item: { remind_on: string }) => item.remind_on === '2028-01-30');
    expect(onDay).toEqual([
      expect.objectContaining({ item_name: 'Leap passport', category: 'identity', subcategory: 'passport', date: '2028-02-29', kind: 'auto', note: null, reminder_id: null, dismissed: false }),
    ]);
    const order = body.items.map((item: { remind_on: string }) => item.remind_on);
    expect(order).toEqual([...order].sort());
  });

  it('count days, not years: 29 February minus 365 days is 1 March of the year before', async () => {
    // No defined field has a 365-day reminder, so the query runs with a rule of its own.
    const item = await vault.passport(home.owner, home.id, { expiry_date: '2028-02-29' }, 'Year ahead');
    const rules = { keys: ['identity/passport/expiry_date/365'], days: [365], paths: ['identity/passport/expiry_date'] };
    const rows = await listReminders(t.db, { householdId: home.id }, { from: '2027-01-01', to: '2027-12-31' }, {}, rules);
    expect(rows.filter((row) => row.item_id === item.id).map((row) => [row.remind_on, row.days_before])).toEqual([['2027-03-01', 365]]);
  });

  it('are listed for every household of a user through the public function', async () => {
    const rows = await listVaultReminders(t.db, { userId: home.viewer.id, households: 'all' }, { from: '2028-02-29', to: '2028-02-29' });
    expect(rows.map((row) => [row.household_id, row.item_name, row.field, row.remind_on])).toEqual([[home.id, 'Leap renewal', 'renewal_date', '2028-02-29']]);
    expect(rows[0]?.household_name).toBe('Home');
    expect(await listVaultReminders(t.db, { userId: home.stranger.id, households: 'all' }, { from: '2028-02-29', to: '2028-02-29' })).toEqual([]);
  });
});
