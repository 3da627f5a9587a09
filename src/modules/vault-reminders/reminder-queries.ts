import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { REMINDER_RULES, type ReminderRules } from './rules.ts';

// The reminders of a window in one statement: the computed ones (one range scan of the
// household's date index per distinct day count, `remind_on` = date - days) and the custom ones
// (their own index), with each one's dismissal. Nothing is stored for a computed reminder, so a
// changed date moves its reminders at once.

/** Whose reminders: one household, every household of a user, or a user's active household. */
export type VaultScope = { householdId: string } | { userId: string; households: 'all' | 'active' };
/** Also: the household a column of an enclosing statement names (the dashboard's one statement). */
export type ReminderScope = VaultScope | { householdColumn: RawBuilder<string> };

/**
 * Which reminders: `remind_on` from `from` (or unbounded) through `to`, both included; computed
 * reminders only while their date is on or after `dateFrom` (the due ones: not for a date past).
 */
export type ReminderWindow = { from: string | null; to: string; dateFrom?: string };

export type ReminderFilter = { category?: string; includeDismissed?: boolean };

export type VaultReminderRow = {
  household_id: string;
  household_name: string;
  item_id: string;
  item_name: string;
  category: string;
  subcategory: string;
  /** The date field; null for a custom reminder. */
  field: string | null;
  /** The field's date; null for a custom reminder. */
  date: string | null;
  remind_on: string;
  /** How many days before `date`; null for a custom reminder. */
  days_before: number | null;
  kind: 'auto' | 'custom';
  note: string | null;
  /** The custom reminder's id (dismiss it by this); null for a computed one. */
  reminder_id: string | null;
  dismissed: boolean;
};

/** `<column> = / in` the households of the scope, as SQL. */
export function householdsOf(scope: ReminderScope, column: RawBuilder<unknown>): RawBuilder<boolean> {
  if ('householdId' in scope) return sql<boolean>`${column} = ${scope.householdId}::uuid`;
  if ('householdColumn' in scope) return sql<boolean>`${column} = ${scope.householdColumn}`;
  if (scope.households === 'all') {
    return sql<boolean>`${column} in (select m.household_id from household_members m where m.user_id = ${scope.userId})`;
  }
  return sql<boolean>`${column} = (select s.active_household_id from user_settings s
    join household_members m on m.household_id = s.active_household_id and m.user_id = s.user_id where s.user_id = ${scope.userId})`;
}

function computedReminders(scope: ReminderScope, window: ReminderWindow, filter: ReminderFilter, rules: ReminderRules): RawBuilder<VaultReminderRow> {
  // greatest() skips a null: the later of the window's start (moved to the date) and dateFrom.
  const lower = window.from === null && window.dateFrom === undefined ? sql`` : sql`and v.value_date >= greatest(${window.from}::date + d.days, ${window.dateFrom ?? null}::date)`;
  const category = filter.category === undefined ? sql`` : sql`and i.category = ${filter.category}`;
  const dismissed = sql`exists (select 1 from item_reminder_dismissals x where x.item_id = v.item_id and x.field_key = v.field_key
    and x.remind_on = v.value_date - d.days and x.date = v.value_date)`;
  const undismissed = filter.includeDismissed ? sql`` : sql`and not ${dismissed}`;
  return sql<VaultReminderRow>`select v.household_id, v.item_id, i.name as item_name, i.category, i.subcategory,
      v.field_key as field, v.value_date as date, v.value_date - d.days as remind_on, d.days as days_before,
      'auto' as kind, null::text as note, null::uuid as reminder_id, ${dismissed} as dismissed
    from unnest(${rules.days}::int[]) as d(days)
    join item_field_values v on ${householdsOf(scope, sql.ref('v.household_id'))}
      and v.value_date is not null ${lower} and v.value_date <= ${window.to}::date + d.days
      and (v.field_key || '/' || d.days) = any(${rules.fieldDays}::text[])
    join items i on i.id = v.item_id and i.household_id = v.household_id
    where (i.category || '/' || i.subcategory || '/' || v.field_key || '/' || d.days) = any(${rules.keys}::text[])
      ${category} ${undismissed}`;
}

function customReminders(scope: ReminderScope, window: ReminderWindow, filter: ReminderFilter): RawBuilder<VaultReminderRow> {
  const lower = window.from === null ? sql`` : sql`and r.remind_on >= ${window.from}::date`;
  const category = filter.category === undefined ? sql`` : sql`and i.category = ${filter.category}`;
  const undismissed = filter.includeDismissed ? sql`` : sql`and r.dismissed_for is distinct from r.remind_on`;
  return sql<VaultReminderRow>`select r.household_id, r.item_id, i.name as item_name, i.category, i.subcategory,
      null::text as field, null::date as date, r.remind_on, null::int as days_before,
      'custom' as kind, r.note, r.id as reminder_id, r.dismissed_for is not distinct from r.remind_on as dismissed
    from item_reminders r
    join items i on i.id = r.item_id and i.household_id = r.household_id
    where ${householdsOf(scope, sql.ref('r.household_id'))} ${lower} and r.remind_on <= ${window.to}::date ${category} ${undismissed}`;
}

/** The window's reminders, computed and custom, as one union (no order). */
export function remindersIn(scope: ReminderScope, window: ReminderWindow, filter: ReminderFilter = {}, rules = REMINDER_RULES): RawBuilder<VaultReminderRow> {
  return sql<VaultReminderRow>`(${computedReminders(scope, window, filter, rules)} union all ${customReminders(scope, window, filter)})`;
}

/** The contract's order: remind_on, then the date (custom ones last), then the item name; ties made stable. */
export const REMINDER_ORDER = sql`r.remind_on, r.date nulls last, lower(r.item_name), r.item_id, r.field nulls last, r.reminder_id`;

/** The reminders of a window, in the contract's order; `rules` other than the definitions' only in tests. */
export async function listReminders(
  db: Kysely<DB>,
  scope: VaultScope,
  window: ReminderWindow,
  filter: ReminderFilter = {},
  rules: ReminderRules = REMINDER_RULES,
): Promise<VaultReminderRow[]> {
  const result = await sql<VaultReminderRow>`select r.*, h.name as household_name
    from ${remindersIn(scope, window, filter, rules)} as r join households h on h.id = r.household_id
    order by ${REMINDER_ORDER}`.execute(db);
  return result.rows;
}

/** How many reminders are due: on or before `today`, not dismissed, and (computed ones) for a date not yet past. */
export function dueCount(scope: ReminderScope, today: string): RawBuilder<number> {
  return sql<number>`(select count(*)::int from ${remindersIn(scope, { from: null, to: today, dateFrom: today })} as due)`;
}
