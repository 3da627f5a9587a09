import { type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type Selectable, sql, type Updateable } from 'kysely';
import type { DB, Reminders } from '../../platform/db/schema.ts';
import type { CreateReminder, ReminderListParams, UpdateReminder } from './schemas.ts';
import { qualified, REMINDER_COLUMNS } from '../../platform/db/columns.ts';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

export type ReminderRow = Omit<Selectable<Reminders>, 'search_vector'>;

const sortColumns: SortColumns<ReminderListParams['sort']['field']> = {
  remind_at: { by: sql.ref('remind_at') },
  created_at: { by: sql.ref('created_at') },
  title: { by: sql`lower(title)` },
};

// Must match the expression of the trigram index reminders_text_trgm.
const searchable = sql<string>`(title || ' ' || coalesce(description, ''))`;

/**
 * Due at `now` (API.md `due=true`): not dismissed, `remind_at` reached and not snoozed past now.
 * The one definition for the list filter and the dashboard.
 */
export function isDue(now: Expression<Date> | Date) {
  return (eb: ExpressionBuilder<DB, 'reminders'>) =>
    eb.and([
      eb('is_dismissed', '=', false),
      eb('remind_at', '<=', now),
      eb.or([eb('snoozed_until', 'is', null), eb('snoozed_until', '<=', now)]),
    ]);
}

/**
 * When an active reminder next asks for attention: its `remind_at`, or the end of a snooze that
 * reaches past it. Due (above) is exactly "not dismissed and this <= now".
 */
export const effectiveAt = sql<Date>`greatest(remind_at, snoozed_until)`;

export async function listReminders(db: Kysely<DB>, userId: string, params: ReminderListParams): Promise<Page<ReminderRow>> {
  let query = db.selectFrom('reminders').where('user_id', '=', userId);
  if (params.dismissed !== undefined) query = query.where('is_dismissed', '=', params.dismissed);
  if (params.due === true) query = query.where(isDue(sql<Date>`now()`));
  if (params.due === false) {
    query = query.where((eb) =>
      eb.or([eb('is_dismissed', '=', true), eb('remind_at', '>', sql<Date>`now()`), eb('snoozed_until', '>', sql<Date>`now()`)]),
    );
  }
  if (params.from) query = query.where('remind_at', '>=', params.from);
  if (params.to) query = query.where('remind_at', '<', params.to);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  return paginate(query, (q) => q.select(REMINDER_COLUMNS), sql.ref('id'), sortColumns, params);
}

export async function findReminder(db: Kysely<DB>, userId: string, id: string): Promise<ReminderRow | undefined> {
  return db.selectFrom('reminders').select(REMINDER_COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertReminder(db: Kysely<DB>, userId: string, values: CreateReminder): Promise<ReminderRow> {
  return db
    .insertInto('reminders')
    .values({
      ...values,
      user_id: userId,
      repeat_anchor: values.remind_at,
      dismissed_at: values.is_dismissed ? sql<Date>`now()` : null,
    })
    .returning(REMINDER_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** dismissed_at follows is_dismissed: stamped when it becomes true, cleared when false. */
function dismissedAt(isDismissed: boolean | undefined) {
  if (isDismissed === undefined) return {};
  return { dismissed_at: isDismissed ? sql<Date>`coalesce(dismissed_at, now())` : null };
}

/** A snooze ends when the reminder is dismissed or moved, unless the same change sets one. */
function snoozeEnd(changes: UpdateReminder, remindAtMoves: RawBuilder<boolean>) {
  if (changes.snoozed_until !== undefined) return {};
  if (changes.is_dismissed === true) return { snoozed_until: null };
  if (changes.remind_at !== undefined) return { snoozed_until: sql<Date | null>`case when ${remindAtMoves} then null else snoozed_until end` };
  return {};
}

/**
 * The columns that follow a user's change. Setting remind_at or repeat to a new value starts
 * the series anew (repeat_anchor); sending the stored values again keeps its anchor day.
 */
function followingColumns(changes: UpdateReminder) {
  const remindAt = changes.remind_at === undefined ? sql.ref('remind_at') : sql`${changes.remind_at}::timestamptz`;
  const repeat = changes.repeat === undefined ? sql.ref('repeat') : sql`${changes.repeat}::reminder_repeat`;
  const remindAtMoves = sql<boolean>`remind_at is distinct from ${remindAt}`;
  const seriesChanges = changes.remind_at !== undefined || changes.repeat !== undefined;
  return {
    ...dismissedAt(changes.is_dismissed),
    ...(seriesChanges
      ? { repeat_anchor: sql<Date>`case when ${remindAtMoves} or repeat is distinct from ${repeat} then ${remindAt} else repeat_anchor end` }
      : {}),
    ...snoozeEnd(changes, remindAtMoves),
  };
}

export async function updateReminder(
  db: Kysely<DB>,
  userId: string,
  id: string,
  changes: UpdateReminder,
  versions?: number[],
): Promise<ReminderRow | undefined> {
  let query = db
    .updateTable('reminders')
    .set({ ...changes, ...followingColumns(changes) })
    .where('id', '=', id)
    .where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(REMINDER_COLUMNS).executeTakeFirst();
}

export async function deleteReminder(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('reminders').where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type LockedReminder = { reminder: ReminderRow; timezone: string; now: Date };

/**
 * The reminder, locked until the caller's transaction ends, with what a state change computes
 * from: the owner's time zone and the database's clock (the one the `due` filter uses).
 */
export async function lockReminder(db: Kysely<DB>, userId: string, id: string): Promise<LockedReminder | undefined> {
  const row = await db
    .selectFrom('reminders as r')
    .innerJoin('user_settings as s', 's.user_id', 'r.user_id')
    .select(qualified('r', REMINDER_COLUMNS))
    .select(['s.timezone', sql<Date>`now()`.as('now')])
    .where('r.id', '=', id)
    .where('r.user_id', '=', userId)
    .forUpdate('r')
    .executeTakeFirst();
  if (!row) return undefined;
  const { timezone, now, ...reminder } = row;
  return { reminder, timezone, now };
}

export type ReminderState = Pick<Updateable<Reminders>, 'remind_at' | 'is_dismissed' | 'dismissed_at' | 'snoozed_until'>;

/** Sets the state the dismiss and snooze actions decide on; repeat_anchor stays, so a series keeps its day. */
export async function setReminderState(db: Kysely<DB>, userId: string, id: string, state: ReminderState): Promise<ReminderRow | undefined> {
  return db.updateTable('reminders').set(state).where('id', '=', id).where('user_id', '=', userId).returning(REMINDER_COLUMNS).executeTakeFirst();
}

/** Active means not dismissed: waiting, snoozed or due. */
export async function countActiveReminders(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('reminders')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('is_dismissed', '=', false)
    .executeTakeFirst();
  return row?.count ?? 0;
}

/** The reminders due at `now`, longest waiting first. */
export async function listDueReminders(db: Kysely<DB>, userId: string, now: Date) {
  return db
    .selectFrom('reminders')
    .select(REMINDER_COLUMNS)
    .where('user_id', '=', userId)
    .where(isDue(now))
    .orderBy(effectiveAt)
    .orderBy('id')
    .execute();
}

/** Active reminders whose effective time falls in [from, to). */
export async function listActiveRemindersBetween(db: Kysely<DB>, userId: string, range: { from: Date; to: Date }) {
  return (
    db
      .selectFrom('reminders')
      .select(['id', 'title', effectiveAt.as('at')])
      .where('user_id', '=', userId)
      .where('is_dismissed', '=', false)
      // Implied by the effective time (never before remind_at), and what the index can range over.
      .where('remind_at', '<', range.to)
      .where(effectiveAt, '>=', range.from)
      .where(effectiveAt, '<', range.to)
      .orderBy(effectiveAt)
      .orderBy('id')
      .execute()
  );
}
