import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { DB, Events, InviteeStatus } from '../../platform/db/schema.ts';
import { EVENT_COLUMNS, qualified } from '../../platform/db/columns.ts';

export type EventRow = Omit<Selectable<Events>, 'search_vector'>;
export type NewEvent = Insertable<Events>;
export type EventUpdate = Updateable<Events>;
export type Owner = { id: string; display_name: string; email: string };

/** An event row with its owner, as the signed-in user may see it. */
export type EventWithOwner = { event: EventRow; owner: Owner };

/**
 * The event and its owner out of a joined row, field by field: a range query reads hundreds of
 * these per request, and object rest (`...event`) copied each row property by property into a
 * slower object than this literal.
 */
function withOwner(row: EventRow & { owner_id: string; owner_name: string; owner_email: string }): EventWithOwner {
  const event: EventRow = {
    id: row.id,
    calendar_id: row.calendar_id,
    title: row.title,
    description: row.description,
    location: row.location,
    location_id: row.location_id,
    start_at: row.start_at,
    end_at: row.end_at,
    all_day: row.all_day,
    timezone: row.timezone,
    rrule: row.rrule,
    rule_until: row.rule_until,
    series_start: row.series_start,
    series_end: row.series_end,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  return { event, owner: { id: row.owner_id, display_name: row.owner_name, email: row.owner_email } };
}

function eventsWithOwners(db: Kysely<DB>) {
  return db
    .selectFrom('events as e')
    .innerJoin('calendars as c', 'c.id', 'e.calendar_id')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(qualified('e', EVENT_COLUMNS))
    .select(['u.id as owner_id', 'u.display_name as owner_name', 'u.email as owner_email']);
}

/** How the user stands to the event: owner, or invitee with their answer and edit right. */
export type Relation = { isOwner: boolean; status: InviteeStatus | null; canModify: boolean };
export type EventAccessRow = EventWithOwner & { relation: Relation };

/**
 * The event with the user's relation to it, if they own it or are invited; locked for the rest of
 * the transaction when `lock` is set, so a write reads the version it then checks and changes.
 * Deciding what the relation allows is the permission helper's job, not this query's.
 */
export async function findEventAccess(db: Kysely<DB>, userId: string, id: string, lock = false): Promise<EventAccessRow | undefined> {
  let query = eventsWithOwners(db)
    .leftJoin('event_invitees as i', (join) => join.onRef('i.event_id', '=', 'e.id').on('i.user_id', '=', userId))
    .select(['i.status as invitee_status', 'i.can_modify as invitee_can_modify'])
    .where('e.id', '=', id)
    .where((eb) => eb.or([eb('c.user_id', '=', userId), eb('i.user_id', '=', userId)]));
  if (lock) query = query.forUpdate('e');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { invitee_status, invitee_can_modify, ...rest } = row;
  const isOwner = rest.owner_id === userId;
  return { ...withOwner(rest), relation: { isOwner, status: isOwner ? null : invitee_status, canModify: isOwner || invitee_can_modify === true } };
}

type Range = { from: Date; to: Date };

/**
 * The user's own series whose stored bounds overlap the range (optionally in one calendar), as a
 * query. Uses the index events_calendar_series.
 */
function ownedSeriesInRange(db: Kysely<DB>, userId: string, range: Range & { calendarId?: string | undefined }) {
  // calendar_id is bound to the user's calendars so the index's leading column narrows the scan.
  let query = eventsWithOwners(db)
    .where('e.calendar_id', 'in', db.selectFrom('calendars').select('id').where('user_id', '=', userId))
    .where(sql<Date>`coalesce(e.series_end, 'infinity'::timestamptz)`, '>=', range.from)
    .where('e.series_start', '<', range.to);
  if (range.calendarId) query = query.where('e.calendar_id', '=', range.calendarId);
  return query;
}

/** Series the user is invited to whose bounds overlap the range (declined ones only when asked), as a query. */
function invitedSeriesInRange(db: Kysely<DB>, userId: string, range: Range & { includeDeclined: boolean }) {
  let query = eventsWithOwners(db)
    .innerJoin('event_invitees as i', 'i.event_id', 'e.id')
    .where('i.user_id', '=', userId)
    .where(sql<Date>`coalesce(e.series_end, 'infinity'::timestamptz)`, '>=', range.from)
    .where('e.series_start', '<', range.to);
  if (!range.includeDeclined) query = query.where('i.status', '<>', 'declined');
  return query;
}

/** A series a range query expands, with how the user stands to it: `relation` is null for their own. */
export type SeriesInRange = EventWithOwner & { relation: Relation | null };

/**
 * The candidates of a range query in one statement: the user's own series overlapping the range
 * and, unless a calendar is named (invited events sit in none of the user's), those they are
 * invited to, declined ones only when asked.
 */
export async function listSeriesInRange(
  db: Kysely<DB>,
  userId: string,
  range: Range & { calendarId?: string | undefined; includeDeclined: boolean },
): Promise<SeriesInRange[]> {
  const owned = ownedSeriesInRange(db, userId, range).select([
    sql<boolean>`true`.as('is_own'),
    sql<InviteeStatus | null>`null`.as('invitee_status'),
    sql<boolean | null>`null`.as('invitee_can_modify'),
  ]);
  // UNION ALL pairs columns by position: both sides select the same columns in the same order.
  const query = range.calendarId
    ? owned
    : owned.unionAll(invitedSeriesInRange(db, userId, range).select([sql<boolean>`false`.as('is_own'), 'i.status as invitee_status', 'i.can_modify as invitee_can_modify']));
  const rows = await query.execute();
  return rows.map((row) => {
    const { event, owner } = withOwner(row);
    return { event, owner, relation: row.is_own ? null : { isOwner: false, status: row.invitee_status, canModify: row.invitee_can_modify === true } };
  });
}

export async function insertEvent(db: Kysely<DB>, values: NewEvent): Promise<EventRow> {
  return db.insertInto('events').values(values).returning(EVENT_COLUMNS).executeTakeFirstOrThrow();
}

/** One change of an event: the version trigger bumps `version` by one. */
export async function updateEventRow(db: Kysely<DB>, id: string, changes: EventUpdate): Promise<EventRow> {
  return db.updateTable('events').set(changes).where('id', '=', id).returning(EVENT_COLUMNS).executeTakeFirstOrThrow();
}

export async function deleteEventRow(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('events').where('id', '=', id).execute();
}

/** The user's invitations, newest first, optionally with one status. */
export async function listInvitations(db: Kysely<DB>, userId: string, status: InviteeStatus | undefined) {
  let query = eventsWithOwners(db)
    .innerJoin('event_invitees as i', 'i.event_id', 'e.id')
    .select(['i.status as invitee_status', 'i.can_modify as invitee_can_modify', 'i.invited_at'])
    .where('i.user_id', '=', userId);
  if (status) query = query.where('i.status', '=', status);
  const rows = await query.orderBy('i.invited_at', 'desc').orderBy('e.id').execute();
  return rows.map(({ invitee_status, invitee_can_modify, invited_at, ...rest }) => ({
    ...withOwner(rest),
    relation: { isOwner: false, status: invitee_status, canModify: invitee_can_modify },
    status: invitee_status,
    invited_at,
  }));
}
