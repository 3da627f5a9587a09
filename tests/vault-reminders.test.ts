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
    const rules = { keys: ['identity/passport/expiry_date/365'], days: [365], fieldDays: ['expiry_date/365'], paths: ['identity/passport/expiry_date'] };
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

describe('dismissals', () => {
  const dismiss = (who: Household['owner'], payload: Record<string, unknown>) => vault.call(who, 'POST', `/api/households/${home.id}/reminders/dismiss`, payload);

  it('hide a reminder from everyone in the household, until the date changes', async () => {
    const item = await vault.insurance(home.owner, home.id, { renewal_date: '2029-06-30' }, 'Dismissable');
    const window = 'from=2029-05-01&to=2029-06-30';
    const shown = async (who = home.owner, extra = '') => days((await list(`${window}${extra}`, who)).items, 'Dismissable');
    expect(await shown()).toEqual([
      ['renewal_date', '2029-05-31', 30],
      ['renewal_date', '2029-06-23', 7],
    ]);

    expect((await dismiss(home.member, { item_id: item.id, field: 'renewal_date', remind_on: '2029-05-31' })).statusCode).toBe(204);
    // Again: still 204, and no second audit entry.
    expect((await dismiss(home.member, { item_id: item.id, field: 'renewal_date', remind_on: '2029-05-31' })).statusCode).toBe(204);
    expect(await shown(home.viewer)).toEqual([['renewal_date', '2029-06-23', 7]]);
    const withDismissed = (await list(`${window}&include_dismissed=true`)).items.filter((row: { item_id: string }) => row.item_id === item.id);
    expect(withDismissed.map((row: { remind_on: string; dismissed: boolean }) => [row.remind_on, row.dismissed])).toEqual([
      ['2029-05-31', true],
      ['2029-06-23', false],
    ]);
    const audit = await vault.call(home.owner, 'GET', `/api/households/${home.id}/audit?action=reminder.dismissed`);
    const entries = audit.json().items.filter((entry: { target: { id: string } }) => entry.target.id === item.id);
    expect(entries).toEqual([
      expect.objectContaining({
        actor: { id: home.member.id, display_name: 'member' },
        target: { type: 'item', id: item.id },
        details: { kind: 'auto', name: 'Dismissable', field: 'renewal_date', date: '2029-06-30', remind_on: '2029-05-31', days_before: 30 },
      }),
    ]);

    // A new date: moving it by one day brings the reminder back, on its new day.
    const moved = await vault.call(home.owner, 'PATCH', `/api/households/${home.id}/items/${item.id}`, { fields: { renewal_date: '2029-06-29' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await shown()).toEqual([
      ['renewal_date', '2029-05-30', 30],
      ['renewal_date', '2029-06-22', 7],
    ]);
    // The dismissal held for the date it was made for: back to that date, the reminder is dismissed again.
    await vault.call(home.owner, 'PATCH', `/api/households/${home.id}/items/${item.id}`, { fields: { renewal_date: '2029-06-30' } });
    expect(await shown()).toEqual([['renewal_date', '2029-06-23', 7]]);
  });

  it('hold for the date they were made for, even when a new date has a reminder on the same day', async () => {
    // A passport's reminders: 180 and 30 days before. Expiry 1 July 2030: the 30-day one falls on 1 June.
    const passport = await vault.passport(home.owner, home.id, { expiry_date: '2030-07-01' }, 'Same day');
    expect((await dismiss(home.admin, { item_id: passport.id, field: 'expiry_date', remind_on: '2030-06-01' })).statusCode).toBe(204);
    // 150 days later, its 180-day reminder falls on that same 1 June: a new reminder, shown.
    await vault.call(home.owner, 'PATCH', `/api/households/${home.id}/items/${passport.id}`, { fields: { expiry_date: '2030-11-28' } });
    expect(days((await list('from=2030-06-01&to=2030-06-01')).items, 'Same day')).toEqual([['expiry_date', '2030-06-01', 180]]);
  });

  it('refuse viewers (403) and strangers (404), and reminders that are not there (400 naming the field)', async () => {
    const item = await vault.insurance(home.owner, home.id, { renewal_date: '2031-01-31' }, 'Guarded');
    const body = { item_id: item.id, field: 'renewal_date', remind_on: '2031-01-01' };
    const viewer = await dismiss(home.viewer, body);
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().detail).toBe('A household viewer may not dismiss vault reminders');
    expect((await dismiss(home.stranger, body)).statusCode).toBe(404);
    // A stranger's incomplete body is a 404 too, not a 400 that would say the household exists.
    expect((await dismiss(home.stranger, {})).statusCode).toBe(404);
    expect((await vault.call(home.stranger, 'GET', `/api/households/${home.id}/reminders`)).statusCode).toBe(404);
    expect(days((await list('from=2031-01-01&to=2031-01-31', home.viewer)).items, 'Guarded')).toEqual([
      ['renewal_date', '2031-01-01', 30],
      ['renewal_date', '2031-01-24', 7],
    ]);

    const refused = async (payload: Record<string, unknown>, ...paths: string[]) => {
      const response = await dismiss(home.owner, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().errors.map((error: { path: string }) => error.path)).toEqual(paths);
    };
    await refused({ ...body, remind_on: '2031-01-02' }, 'remind_on');
    await refused({ ...body, field: 'start_date' }, 'field');
    await refused({ ...body, field: 'premium' }, 'field');
    await refused({ item_id: item.id, field: 'renewal_date' }, 'remind_on');
    await refused({ ...body, reminder_id: item.id }, 'item_id', 'field', 'remind_on');
    await refused({ reminder_id: item.id }, 'reminder_id');
    // Another household's item is not one of this household's.
    const other = await vault.insurance(home.stranger, (await vault.call(home.stranger, 'GET', '/api/households')).json().items[0].id, { renewal_date: '2031-01-31' });
    await refused({ ...body, item_id: other.id }, 'item_id');
    expect(days((await list('from=2031-01-01&to=2031-01-31')).items, 'Guarded')).toHaveLength(2);
  });
});

describe('custom reminders', () => {
  it('are CRUD on an item, listed beside the computed ones, dismissed by id and back with a new day', async () => {
    const item = await vault.insurance(home.owner, home.id, { renewal_date: '2032-03-10' }, 'With a note');
    const url = `/api/households/${home.id}/items/${item.id}/reminders`;
    const custom = await vault.created(home.member, url, { remind_on: '2032-02-20', note: 'Compare offers' });
    expect(custom).toMatchObject({ item_id: item.id, remind_on: '2032-02-20', note: 'Compare offers', dismissed: false, version: 1 });
    expect((await vault.call(home.viewer, 'POST', url, { remind_on: '2032-02-21' })).statusCode).toBe(403);
    expect((await vault.call(home.stranger, 'GET', url)).statusCode).toBe(404);
    expect((await vault.call(home.viewer, 'GET', url)).json().items).toHaveLength(1);

    const window = 'from=2032-02-01&to=2032-03-31';
    const rows = (await list(window)).items.filter((row: { item_id: string }) => row.item_id === item.id);
    expect(rows.map((row: { kind: string; remind_on: string }) => [row.kind, row.remind_on])).toEqual([
      ['auto', '2032-02-09'],
      ['custom', '2032-02-20'],
      ['auto', '2032-03-03'],
    ]);
    expect(rows[1]).toEqual({
      item_id: item.id, item_name: 'With a note', category: 'insurance', subcategory: 'health', field: null, date: null,
      remind_on: '2032-02-20', days_before: null, kind: 'custom', note: 'Compare offers', reminder_id: custom.id, dismissed: false,
    });

    const dismissed = await vault.call(home.owner, 'POST', `/api/households/${home.id}/reminders/dismiss`, { reminder_id: custom.id });
    expect(dismissed.statusCode).toBe(204);
    expect((await list(window)).items.filter((row: { kind: string; item_id: string }) => row.item_id === item.id && row.kind === 'custom')).toEqual([]);
    expect((await vault.call(home.owner, 'GET', `${url}/${custom.id}`)).json()).toMatchObject({ dismissed: true });
    const moved = await vault.call(home.owner, 'PATCH', `${url}/${custom.id}`, { remind_on: '2032-02-22' });
    expect(moved.json()).toMatchObject({ remind_on: '2032-02-22', dismissed: false });
    expect((await list(window)).items.filter((row: { kind: string; item_id: string }) => row.item_id === item.id && row.kind === 'custom')).toHaveLength(1);
    expect((await vault.call(home.owner, 'DELETE', `${url}/${custom.id}`)).statusCode).toBe(204);

    const audit = (await vault.call(home.owner, 'GET', `/api/households/${home.id}/audit`)).json().items;
    const actions = audit.filter((entry: { target: { id: string } | null }) => entry.target?.id === custom.id).map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['reminder.deleted', 'reminder.updated', 'reminder.dismissed', 'reminder.created']);
  });
});

describe('the list', () => {
  it('filters by category: category=business gives the business reminders', async () => {
    await vault.item(home.owner, home.id, { category: 'business', subcategory: 'license', name: 'Trade licence', fields: { due_date: '2033-05-31', renewal_date: '2033-06-30' } });
    await vault.insurance(home.owner, home.id, { renewal_date: '2033-05-31' }, 'Not business');
    const body = await list('from=2033-04-01&to=2033-06-30&category=business');
    expect(body.items.map((row: { item_name: string; field: string; remind_on: string }) => [row.item_name, row.field, row.remind_on])).toEqual([
      ['Trade licence', 'due_date', '2033-05-01'],
      ['Trade licence', 'renewal_date', '2033-05-31'],
      ['Trade licence', 'due_date', '2033-05-24'],
    ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))));
    expect((await list('from=2033-04-01&to=2033-06-30')).items.some((row: { item_name: string }) => row.item_name === 'Not business')).toBe(true);
  });

  it('refuses a window that ends before it starts, spans more than 366 days, or names an unknown category', async () => {
    for (const query of ['from=2030-01-02&to=2030-01-01', 'from=2030-01-01&to=2031-01-02', 'category=pets', 'from=2030-02-30', 'x=1']) {
      const response = await vault.call(home.owner, 'GET', `/api/households/${home.id}/reminders?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    expect((await list('from=2030-01-01&to=2031-01-01')).to).toBe('2031-01-01');
  });
});
