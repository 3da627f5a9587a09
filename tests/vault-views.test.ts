import { beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../src/modules/dashboard/service.ts';
import type { UserClock } from '../src/modules/settings/queries.ts';
import { buildUpcoming } from '../src/modules/upcoming/service.ts';
import { listHouseholdReminders } from '../src/modules/vault-reminders/service.ts';
import { useTestApp } from './helpers/app.ts';
import { addDays, dateIn } from './helpers/dates.ts';
import { type Household, householdWithEveryRole } from './helpers/households.ts';
import { keepOffMidnight } from './helpers/midnight.ts';
import type { SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';
import { FAR_ZONES } from './helpers/views.ts';
import { wallClock } from './helpers/wall-clock.ts';

const t = useTestApp();
const vault = vaultCalls(t);

let home: Household;
beforeAll(async () => {
  home = await householdWithEveryRole(t.app, t.db);
  // The admin lives at UTC+14, the member at UTC-11, and both look at this household.
  for (const [who, zone] of [[home.admin, 'Pacific/Kiritimati'], [home.member, 'Pacific/Pago_Pago']] as const) {
    const response = await vault.call(who, 'PATCH', '/api/settings', { timezone: zone, active_household_id: home.id });
    expect(response.statusCode, response.body).toBe(200);
  }
});

const clock = (timezone: string, now: string): UserClock => ({ timezone, now: new Date(now) });
const get = async (who: SignedIn, url: string) => {
  const response = await vault.call(who, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

describe('one reminder, two zones', () => {
  // 12:00 UTC on 30 June 2026 is already 1 July at UTC+14 and still 30 June at UTC-11.
  const NOW = '2026-06-30T12:00:00Z';
  const east = clock('Pacific/Kiritimati', NOW);
  const west = clock('Pacific/Pago_Pago', NOW);

  it('falls on its own day in each zone: due in one, tomorrow in the other', async () => {
    // Renewal 31 July 2026: its 30-day reminder is on 1 July, its 7-day one on 24 July.
    const item = await vault.insurance(home.owner, home.id, { renewal_date: '2026-07-31' }, 'Two zones');
    // A warranty until 30 July: within the next 30 days at UTC+14 (1..30 July), not at UTC-11
    // (30 June..29 July). Its one reminder, 30 days before, is on 30 June: due in both zones.
    const fridge = await vault.item(home.owner, home.id, { category: 'property', subcategory: 'warranty', name: 'Fridge', fields: { warranty_until: '2026-07-30' } });

    const eastList = await listHouseholdReminders(t.db, home.id, east, {});
    const westList = await listHouseholdReminders(t.db, home.id, west, {});
    expect([eastList.from, eastList.to]).toEqual(['2026-07-01', '2026-09-28']);
    expect([westList.from, westList.to]).toEqual(['2026-06-30', '2026-09-27']);
    for (const body of [eastList, westList]) {
      expect(body.items.filter((row) => row.item_id === item.id).map((row) => row.remind_on)).toEqual(['2026-07-01', '2026-07-24']);
    }

    // Upcoming: at 00:00 of 1 July in each user's own zone, 25 hours apart.
    const vaultItems = async (userId: string, at: UserClock, days: number) =>
      (await buildUpcoming(t.db, userId, at, days)).items.filter((entry) => entry.type === 'vault_reminder' && entry.id === item.id);
    expect(await vaultItems(home.admin.id, east, 1)).toEqual([
      { type: 'vault_reminder', id: item.id, title: 'Two zones', at: new Date('2026-06-30T10:00:00Z'), all_day: true, field: 'renewal_date', household_id: home.id },
    ]);
    expect(await vaultItems(home.member.id, west, 1)).toEqual([]);
    expect((await vaultItems(home.member.id, west, 2)).map((entry) => entry.at)).toEqual([new Date('2026-07-01T11:00:00Z')]);

    // The dashboard: due today at UTC+14, not yet at UTC-11; expiring in both.
    const eastVault = (await buildDashboard(t.db, home.admin.id, east)).vault;
    const westVault = (await buildDashboard(t.db, home.member.id, west)).vault;
    expect(eastVault).toEqual({
      household: { id: home.id, name: 'Home' },
      expiring: [{ item_id: fridge.id, item_name: 'Fridge', category: 'property', subcategory: 'warranty', field: 'warranty_until', date: '2026-07-30' }],
      reminders_due: 2,
    });
    expect(westVault).toEqual({ household: { id: home.id, name: 'Home' }, expiring: [], reminders_due: 1 });

    // Dismissed, it leaves the list, the dashboards and upcoming; expiring still names the fridge
    // after its reminder is dismissed.
    for (const body of [
      { item_id: item.id, field: 'renewal_date', remind_on: '2026-07-01' },
      { item_id: fridge.id, field: 'warranty_until', remind_on: '2026-06-30' },
    ]) {
      expect((await vault.call(home.member, 'POST', `/api/households/${home.id}/reminders/dismiss`, body)).statusCode).toBe(204);
    }
    expect(await vaultItems(home.admin.id, east, 1)).toEqual([]);
    expect((await buildDashboard(t.db, home.admin.id, east)).vault).toMatchObject({ reminders_due: 0, expiring: [{ item_id: fridge.id }] });
    expect((await listHouseholdReminders(t.db, home.id, west, {})).items.filter((row) => row.item_id === item.id).map((row) => row.remind_on)).toEqual(['2026-07-24']);
  });
});

describe('the views over HTTP', () => {
  keepOffMidnight(FAR_ZONES.map((far) => far.zone));

  it('upcoming puts a vault reminder at 00:00 of its day in your zone, in time order with the rest', async () => {
    const item = await vault.insurance(home.owner, home.id, { renewal_date: '2099-01-01' }, 'Custom only');
    for (const [who, zone] of [[home.admin, 'Pacific/Kiritimati'], [home.member, 'Pacific/Pago_Pago']] as const) {
      const day = addDays(dateIn(zone), 2);
      const custom = await vault.created(who, `/api/households/${home.id}/items/${item.id}/reminders`, { remind_on: day, note: zone });
      await vault.created(who, '/api/todos', { title: `todo ${zone}`, due_date: addDays(day, -1) });
      const body = await get(who, '/api/upcoming?days=7');
      const mine = body.items.filter((entry: { type: string; title: string }) => entry.type === 'todo' || entry.title === 'Custom only');
      const wanted = mine.filter((entry: { type: string; at: string }) => entry.type === 'todo' || wallClock(entry.at, zone).date === day);
      expect(wanted.map((entry: { type: string }) => entry.type)).toEqual(['todo', 'vault_reminder']);
      const reminder = wanted[1];
      expect(reminder).toEqual({ type: 'vault_reminder', id: item.id, title: 'Custom only', at: reminder.at, all_day: true, field: null, household_id: home.id });
      expect(wallClock(reminder.at, zone)).toMatchObject({ date: day, time: '00:00' });
      const times = body.items.map((entry: { at: string }) => entry.at);
      expect(times).toEqual([...times].sort());
      await vault.call(who, 'DELETE', `/api/households/${home.id}/items/${item.id}/reminders/${custom.id}`);
    }
  });

  it('the dashboard shows the active household, and null without one', async () => {
    const body = await get(home.owner, '/api/dashboard');
    expect(body.vault.household).toEqual({ id: home.id, name: 'Home' });
    // Leaving the household the stranger never joined changes nothing; a user with no household sees null.
    const loner = home.stranger;
    const own = (await get(loner, '/api/households')).items[0];
    expect((await vault.call(loner, 'DELETE', `/api/households/${own.id}`)).statusCode).toBe(204);
    expect((await get(loner, '/api/dashboard')).vault).toBeNull();
    expect((await get(loner, '/api/upcoming?days=90')).items.filter((entry: { type: string }) => entry.type === 'vault_reminder')).toEqual([]);
  });
});

describe('the household dashboard', () => {
  it('sums up the household; recent activity only for owners and admins', async () => {
    const url = `/api/households/${home.id}/dashboard`;
    for (const name of ['Deed', 'Will', 'Diploma copy']) await vault.item(home.member, home.id, { category: 'other', subcategory: 'document', name });
    const owner = await get(home.owner, url);
    expect(owner.items_by_category).toEqual([
      { category: 'insurance', count: 2 },
      { category: 'other', count: 3 },
      { category: 'property', count: 1 },
    ]);
    expect(owner.files).toEqual({ count: 0, bytes: 0 });
    expect(owner.members.map((member: { display_name: string; role: string }) => [member.display_name, member.role])).toEqual([
      ['owner', 'owner'],
      ['admin', 'admin'],
      ['member', 'member'],
      ['viewer', 'viewer'],
    ]);
    expect(owner.recent_activity).toHaveLength(10);
    expect(owner.recent_activity[0]).toMatchObject({ action: 'item.created', actor: { display_name: 'member' }, details: { name: 'Diploma copy' } });
    expect(typeof owner.reminders_due).toBe('number');
    expect((await get(home.admin, url)).recent_activity).toHaveLength(10);
    for (const who of [home.member, home.viewer]) {
      const body = await get(who, url);
      expect(body.recent_activity).toEqual([]);
      expect(body.items_by_category).toEqual(owner.items_by_category);
    }
    expect((await vault.call(home.stranger, 'GET', url)).statusCode).toBe(404);
  });
});
