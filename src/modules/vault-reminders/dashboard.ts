import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { daysFromToday, type UserClock } from '../../platform/time/day.ts';
import { listRecentAuditEntries } from '../audit/index.ts';
import { householdFileTotals } from '../files/index.ts';
import { decide, type HouseholdAccess, listMembers } from '../households/index.ts';
import { countItemsByCategory, type ExpiringItem, expiringItems } from './dashboard-queries.ts';
import type { HouseholdDashboard, VaultSummary } from './dashboard-schemas.ts';
import { dueCount, type ReminderScope } from './reminder-queries.ts';

/** How far ahead "expiring" looks, today included (as the dashboard's birthdays). */
export const EXPIRING_DAYS = 30;
export const RECENT_ACTIVITY = 10;

type VaultParts = { expiring: ExpiringItem[]; reminders_due: number };

function vaultParts(scope: ReminderScope, clock: UserClock) {
  const { dates } = daysFromToday(clock, EXPIRING_DAYS);
  return { expiring: expiringItems(scope, dates), reminders_due: dueCount(scope, dates.from) };
}

/** Expiring items and the due count of one household, in one statement. */
async function householdVault(db: Kysely<DB>, householdId: string, clock: UserClock): Promise<VaultParts> {
  const parts = vaultParts({ householdId }, clock);
  const result = await sql<VaultParts>`select ${parts.expiring} as expiring, ${parts.reminders_due} as reminders_due`.execute(db);
  return result.rows[0] ?? { expiring: [], reminders_due: 0 };
}

/**
 * The vault of the user's active household for GET /api/dashboard, in one statement (the
 * household, its membership, its expiring items and due count); null when there is none.
 */
export async function activeVaultSummary(db: Kysely<DB>, userId: string, clock: UserClock): Promise<VaultSummary | null> {
  const parts = vaultParts({ householdColumn: sql<string>`h.id` }, clock);
  const row = await db
    .selectFrom('user_settings as s')
    .innerJoin('household_members as m', (join) => join.onRef('m.household_id', '=', 's.active_household_id').onRef('m.user_id', '=', 's.user_id'))
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['h.id', 'h.name', parts.expiring.as('expiring'), parts.reminders_due.as('reminders_due')])
    .where('s.user_id', '=', userId)
    .executeTakeFirst();
  return row ? { household: { id: row.id, name: row.name }, expiring: row.expiring, reminders_due: row.reminders_due } : null;
}

/** GET /api/households/{hid}/dashboard: its parts run concurrently, each on its own index. */
export async function buildHouseholdDashboard(db: Kysely<DB>, access: HouseholdAccess, clock: UserClock): Promise<HouseholdDashboard> {
  const { householdId } = access;
  const seesActivity = decide(access.role, 'audit').allowed;
  const [categories, files, members, vault, activity] = await Promise.all([
    countItemsByCategory(db, householdId),
    householdFileTotals(db, householdId),
    listMembers(db, householdId),
    householdVault(db, householdId, clock),
    seesActivity ? listRecentAuditEntries(db, householdId, RECENT_ACTIVITY) : Promise.resolve([]),
  ]);
  return {
    date: daysFromToday(clock, 1).dates.from,
    items_by_category: categories,
    files,
    members: members.map(({ user_id, display_name, role }) => ({ user_id, display_name, role })),
    expiring: vault.expiring,
    reminders_due: vault.reminders_due,
    recent_activity: activity,
  };
}
